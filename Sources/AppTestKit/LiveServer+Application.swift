public import App
public import Net
public import TestKit

extension LiveServer {
    /// Starts the whole application with `testDefaults` adjusted by `configure`, as `api serve` runs it, on `time`.
    public convenience init(time: any TimeSource = SystemTime(), _ configure: (inout Config) -> Void = { _ in }) throws {
        var config = Self.testDefaults
        configure(&config)
        let application = try Application(config: config, time: time)
        do {
            let server = try application.start()
            self.init(running: server) { application.stop($0) }
        } catch {
            application.close()
            throw error
        }
    }

    /// `Config.defaults` on `testConfiguration`, with no access log, warnings only, a fresh database in its own
    /// temporary directory, the cheapest Argon2 costs (tests hash many passwords) and no rate limits (every test
    /// client calls from one address; `RateLimitTests` turn them on).
    public static var testDefaults: Config {
        var config = Config.defaults
        // mkdtemp fails only when /tmp is unusable, and then no test can run at all.
        config.database.path = (try! SharedTestData.temporaryDirectory()) + "/api.db"
        config.auth.argon2MemoryKiB = 64
        config.auth.argon2Iterations = 1
        let server = testConfiguration
        config.server.host = server.host
        config.server.port = server.port
        config.server.workers = server.workers
        config.server.shutdownGraceMilliseconds = server.shutdownGraceMilliseconds
        config.accessLog = .off
        config.logLevel = .warning
        config.rateLimitRules = []
        return config
    }
}

/// Runs `body` with the live application built by `configure`, and stops it afterwards, even if `body` throws.
public func withLiveServer<T>(time: any TimeSource = SystemTime(), _ configure: (inout Config) -> Void = { _ in },
                              _ body: (LiveServer) async throws -> T) async throws -> T {
    try await LiveServer.serving(try LiveServer(time: time, configure), body)
}
