public import App
public import HTTP

/// A real server on 127.0.0.1 and a port the kernel picked, in this process, for live tests (R13's third tier).
///
/// Built from a `Config` (the whole `Application`, as `api serve` runs it) or from a bare `Router`.
/// The access log is off and the shutdown grace short, so tests stay quiet and end quickly.
public final class LiveServer: Sendable {
    /// The running server.
    public let server: HTTPServer
    /// The configuration it runs with (port 0 as asked; see `port` for the one bound).
    public let config: Config
    private let application: Application?

    /// The port actually bound.
    public var port: Int { server.port }

    /// Starts the application with `Config.defaults` adjusted for tests, then by `configure`.
    public init(_ configure: (inout Config) -> Void = { _ in }) throws {
        var config = Self.testDefaults
        configure(&config)
        self.config = config
        let application = try Application(config: config)
        self.application = application
        do { server = try application.start() } catch {
            application.close()
            throw error
        }
    }

    /// Starts a server that answers with `router` alone.
    public init(router: Router, _ configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var config = Self.testDefaults
        configure(&config.server)
        self.config = config
        application = nil
        server = try HTTPServer(configuration: config.server, router: router, observer: SilentObserver())
    }

    /// `Config.defaults` on 127.0.0.1:0 with two loops, no access log, warnings only, a 2 s grace, a fresh
    /// database in its own temporary directory, and the cheapest Argon2 costs (tests hash many passwords).
    public static var testDefaults: Config {
        var config = Config.defaults
        // mkdtemp fails only when /tmp is unusable, and then no test can run at all.
        config.database.path = (try! SharedTestData.temporaryDirectory()) + "/api.db"
        config.auth.argon2MemoryKiB = 64
        config.auth.argon2Iterations = 1
        config.server.host = "127.0.0.1"
        config.server.port = 0
        config.server.workers = 2
        config.server.shutdownGraceMilliseconds = 2_000
        config.accessLog = .off
        config.logLevel = .warning
        return config
    }

    /// A new connection to the server.
    public func connect() throws -> TestClient {
        try TestClient(port: port)
    }

    /// Stops the server (graceful: connections between requests close at once) and its database writer.
    public func stop() {
        if let application { application.stop(server) } else { server.shutdown() }
    }
}

/// Runs `body` with a live server built by `configure`, and stops the server afterwards, even if `body` throws.
public func withLiveServer<T>(
    _ configure: (inout Config) -> Void = { _ in }, _ body: (LiveServer) async throws -> T
) async throws -> T {
    let server = try LiveServer(configure)
    do {
        let result = try await body(server)
        server.stop()
        return result
    } catch {
        server.stop()
        throw error
    }
}

/// A server observer that records nothing.
struct SilentObserver: ServerObserver {
    func requestFinished(_ record: RequestRecord, loop: Int) {}
    func connectionChanged(opened: Bool, loop: Int) {}
    func batchFinished(loop: Int) {}
}
