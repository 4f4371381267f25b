public import HTTP
public import Net

/// A real server on 127.0.0.1 and a port the kernel picked, in this process, for live tests (R13's third tier).
///
/// Built from a bare `Router` here; `AppTestKit` builds one from a `Config`, the whole `Application` as `api serve`
/// runs it. The shutdown grace is short, so tests end quickly.
public final class LiveServer: Sendable {
    /// The running server.
    public let server: HTTPServer
    private let stopping: @Sendable (HTTPServer) -> Void

    /// The port actually bound.
    public var port: Int { server.port }

    /// Wraps a running `server`; `stop()` calls `stopping` with it.
    public init(running server: HTTPServer, stopping: @escaping @Sendable (HTTPServer) -> Void) {
        self.server = server
        self.stopping = stopping
    }

    /// Starts a server that answers with `router` alone, on `testConfiguration` adjusted by `configure`; its timeouts
    /// follow `time`.
    public convenience init(router: Router, time: any TimeSource = SystemTime(),
                            _ configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = Self.testConfiguration
        configure(&configuration)
        let server = try HTTPServer(configuration: configuration, router: router, observer: SilentObserver(), time: time)
        self.init(running: server) { $0.shutdown() }
    }

    /// 127.0.0.1:0 with two loops and a 2 s grace.
    public static var testConfiguration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.workers = 2
        configuration.shutdownGraceMilliseconds = 2_000
        return configuration
    }

    /// A new connection to the server.
    public func connect() throws -> TestClient {
        try TestClient(port: port)
    }

    /// Stops the server (graceful: connections between requests close at once) and what it runs on.
    public func stop() {
        stopping(server)
    }
}

/// Runs `body` with a live server answering with `router`, and stops it afterwards, even if `body` throws.
public func withLiveServer<T>(router: Router, time: any TimeSource = SystemTime(), _ configure: (inout ServerConfiguration) -> Void = { _ in },
                              _ body: (LiveServer) async throws -> T) async throws -> T {
    try await LiveServer.serving(try LiveServer(router: router, time: time, configure), body)
}

extension LiveServer {
    /// Runs `body` with `server`, then stops it, even if `body` throws.
    public static func serving<T>(_ server: LiveServer, _ body: (LiveServer) async throws -> T) async throws -> T {
        do {
            let result = try await body(server)
            server.stop()
            return result
        } catch {
            server.stop()
            throw error
        }
    }
}

/// A server observer that records nothing.
public struct SilentObserver: ServerObserver {
    public init() {}
    public func requestFinished(_ record: RequestRecord, loop: Int) {}
    public func connectionChanged(opened: Bool, loop: Int) {}
    public func batchFinished(loop: Int) {}
}
