import Glibc
public import HTTP
import JSON
public import OpenAPI

/// The composition root: builds the router and its collaborators from the configuration, and runs the server.
public final class Application: Sendable {
    /// The configuration the application runs with.
    public let config: Config
    private let logger: Logger
    private let metrics: HTTPMetrics?
    private let accessLog: AccessLog

    /// An application for `config`.
    public init(config: Config) {
        self.config = config
        logger = Logger(level: config.logLevel)
        metrics = config.metricsEnabled ? HTTPMetrics(loops: config.server.workers, groupStatus: config.metricsGroupStatus) : nil
        accessLog = AccessLog(mode: config.accessLog, logger: logger, loops: config.server.workers)
    }

    /// The router with every route and middleware.
    public func makeRouter() -> Router {
        makeAPI().router
    }

    /// Every operation, declared once: the router serves them and the OpenAPI document describes them.
    public func makeAPI() -> API {
        var api = API(info: APIInfo(title: "api", version: Version.current,
                                    description: "Users, OAuth2 password login and protected routes, served by one binary."))
        if let metrics {
            api.use(metrics)
            MetricsRoutes(metrics: metrics).register(on: &api)
        }
        HealthRoutes().register(on: &api)
        WebSocketEchoRoutes().register(on: &api)
        api.addDocumentation(config.docs)
        return api
    }

    /// Binds and starts serving; returns the running server (tests stop it with `shutdown()`).
    public func start() throws -> HTTPServer {
        let observer = ObserverGroup([accessLog] + (metrics.map { [$0] } ?? []))
        let server = try HTTPServer(configuration: config.server, router: makeRouter(), observer: observer)
        logger.info("server.started", ["host": .string(config.server.host), "port": .integer(Int64(server.port)),
                                       "workers": .integer(Int64(config.server.workers))])
        return server
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully; returns the process exit code.
    public func run() -> Int32 {
        HTTPServer.blockTerminationSignals()           // before any thread starts, so all of them inherit the mask
        let server: HTTPServer
        do { server = try start() } catch {
            logger.error("server.start_failed", ["error": .string(String(describing: error))])
            Console.error("cannot listen on \(config.server.host):\(config.server.port): \(error)")
            return 1
        }
        let received = HTTPServer.waitForTerminationSignal()
        logger.info("server.stopping", ["signal": .integer(Int64(received)),
                                        "grace_s": .double(Double(config.server.shutdownGraceMilliseconds) / 1000)])
        server.shutdown()
        logger.info("server.stopped")
        return 0
    }
}
