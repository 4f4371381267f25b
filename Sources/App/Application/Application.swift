import Auth
import Glibc
public import HTTP
import JSON
public import Net
public import OpenAPI

/// The composition root: opens the database and keys, builds the router and its collaborators from the
/// configuration, and runs the server.
public final class Application: Sendable {
    /// The configuration the application runs with.
    public let config: Config
    private let logger: Logger
    private let metrics: HTTPMetrics?
    private let accessLog: AccessLog
    let services: Services
    private let time: any TimeSource
    /// The rate limits, made once: every router made from this application counts into the same table.
    private let rateLimits: RateLimits?

    /// An application for `config`: migrates its database as DESIGN §5 allows, loads or generates the
    /// signing secret, and opens the writer and one reader per loop.
    /// - Throws: `AppError` saying what is wrong (a refused schema, a short secret, bad Argon2 costs).
    public convenience init(config: Config) throws(AppError) {
        try self.init(config: config, time: SystemTime())
    }

    /// An application whose every clock and timer is `time` (tests move a manual one).
    public convenience init(config: Config, time: any TimeSource) throws(AppError) {
        try self.init(config: config, extraJobKinds: [], time: time)
    }

    /// An application whose job runner also knows `extraJobKinds` (tests add kinds that fail on purpose). Its job
    /// runner puts back the jobs a crash left running, unless `requeuesInterruptedJobs` is false: a predecessor
    /// handing over its sockets may still be running them (`resumeInterruptedJobs()` then does it once it is gone).
    init(config: Config, extraJobKinds: [RegisteredJobKind], time: any TimeSource = SystemTime(),
         requeuesInterruptedJobs: Bool = true) throws(AppError) {
        self.config = config
        self.time = time
        logger = Logger(level: config.logLevel)
        metrics = config.metricsEnabled ? HTTPMetrics(loops: config.server.workers, groupStatus: config.metricsGroupStatus) : nil
        accessLog = AccessLog(mode: config.accessLog, logger: logger, loops: config.server.workers)
        let auditFile = config.auditFile.isEmpty ? nil : AuditFile(path: config.auditFile)
        services = try Self.openServices(config, jobKinds: [RegisteredJobKind(AuditJob(file: auditFile))] + extraJobKinds, time: time,
                                         logger: logger)
        rateLimits = config.rateLimitRules.isEmpty ? nil
            : RateLimits(rules: config.rateLimitRules, limiter: services.limiter,
                         shared: config.rateLimitsShared ? services.store.sharedRateLimits : nil, authenticator: services.authenticator)
        if requeuesInterruptedJobs { try resumeInterruptedJobs() }
    }

    /// Checks what the configuration names (Argon2 costs, then the secrets, the only thing made before the database
    /// when none is configured), and only then creates or migrates the database: a bad setting leaves nothing behind.
    private static func openServices(_ config: Config, jobKinds: [RegisteredJobKind], time: any TimeSource,
                                     logger: Logger) throws(AppError) -> Services {
        let hasher = try config.auth.makeHasher()
        let keys = try loadKeys(config) { path in
            logger.warning("auth.secret_generated", ["path": .string(path), "note": .string(generatedSecretWarning(path))])
        }
        let engine = config.database.engine
        let prepared = try engine.prepareForUse(config.database, resources: config.resources, at: time.timestamp())
        for migration in prepared.migrations {
            logger.info("database.migrated", ["version": .integer(Int64(migration.version)), "name": .string(migration.name),
                                              "database": .string(config.database.location)])
        }
        for change in prepared.resourceChanges {
            logger.info("resources.migrated", ["change": .string(change.summary), "database": .string(config.database.location)])
        }
        do {
            let store = try engine.open(config.database, loops: config.server.workers, resources: config.resources)
            let services = Services(config: config, store: store, keys: keys, hasher: hasher, jobKinds: jobKinds,
                                    time: time)
            // Loop 0's connection, before any loop runs: the revocations so far take effect from the first request.
            try store.read(on: 0) { transaction in try services.authenticator.loadRevocations(from: transaction, now: time.wallSeconds()) }
            try services.realtime.channels.restoreHistories()
            return services
        } catch {
            throw AppError("\(config.database.location): \(error)")
        }
    }

    /// Puts the jobs a crash (or a predecessor's drain cut short) left `running` back in the queue.
    func resumeInterruptedJobs() throws(AppError) {
        do {
            let requeued = try services.jobs.start()
            if requeued > 0 { logger.warning("jobs.requeued", ["count": .integer(Int64(requeued)), "note": .string("jobs left running by a crash run again")]) }
        } catch {
            throw AppError("\(config.database.location): \(error)")
        }
    }

    /// The signing keys; `warn` gets the path of a secret generated just now (the caller says where to warn).
    static func loadKeys(_ config: Config, warn: (String) -> Void) throws(AppError) -> JWTKeySet {
        try checkPostgresSettings(config)
        do {
            let keys = try SigningKeys.load(config.auth, dataDirectory: config.database.directory)
            if let path = keys.generatedFile { warn(path) }
            return keys.keySet
        } catch {
            throw AppError("\(error)", exitCode: 2)
        }
    }

    /// What `database.url` does not go with (docs/scaling.md): a generated secret (every instance must sign with the
    /// same one) and scheduled backups (they copy the SQLite file).
    private static func checkPostgresSettings(_ config: Config) throws(AppError) {
        guard !config.database.url.isEmpty else { return }
        if config.auth.secret.isEmpty && config.auth.secretFile.isEmpty {
            throw AppError("database.url: every instance on the database must sign with the same secret: set auth.secret_file or API_AUTH_SECRET",
                           exitCode: 2)
        }
        if config.backup.intervalSeconds > 0 {
            throw AppError("backup.interval_s backs up the SQLite file; with database.url, back up PostgreSQL with pg_dump (docs/scaling.md)", exitCode: 2)
        }
    }

    /// What to tell an operator about a generated secret.
    static func generatedSecretWarning(_ path: String) -> String {
        "no auth.secret, API_AUTH_SECRET or auth.secret_file: generated a random secret in \(path); keep it, or issued tokens stop verifying"
    }

    /// The router with every route and middleware.
    public func makeRouter() -> Router {
        makeAPI().router
    }

    /// Every operation, declared once: the router serves them and the OpenAPI document describes them.
    public func makeAPI() -> API {
        var api = API(info: APIInfo(title: "api", version: Version.current,
                                    description: "Users, OAuth2 password login and protected routes, served by one binary."))
        api.authorize(with: services.authenticator)
        addEdge(to: &api)
        if let metrics {
            api.use(metrics)
            MetricsRoutes(metrics: metrics, services: services, rateLimits: rateLimits, requiresToken: config.metricsMode == .token)
                .register(on: &api)
        }
        api.mapErrors(HTTPError.mapping)
        HealthRoutes().register(on: &api)
        ReadinessRoutes(store: services.store, logger: logger).register(on: &api)
        UserRoutes(services: services).register(on: &api)
        TokenRoutes(services: services).register(on: &api)
        ActionRoutes(services: services).register(on: &api)
        for declaration in config.resources { ResourceRoutes(declaration, services: services).register(on: &api) }
        if !config.resources.isEmpty || !config.channels.isEmpty { RealtimeRoutes(services: services, resources: config.resources).register(on: &api) }
        WebSocketEchoRoutes(settings: config.realtime.webSocket).register(on: &api)
        if rateLimits != nil {
            api.documentError(.tooManyRequests, "A rate limit of `http.rate_limits`; retry after `Retry-After` seconds") { RateLimits.canLimit($0.path) }
        }
        documentProtocolLimits(on: &api)
        api.addDocumentation(config.docs)
        return api
    }

    /// Documents the refusals the HTTP parser gives before any route runs (`server.limits`), on the operations a
    /// client can meet them on: a target too long where it writes path or query values, a body too large where
    /// it sends one, header fields too large where it sends declared headers (RFC 9110 §15.5.14-15, RFC 6585 §5).
    private func documentProtocolLimits(on api: inout API) {
        func declares(_ operation: Operation, _ locations: Set<ParameterLocation>) -> Bool {
            operation.parameters.contains { locations.contains($0.location) }
        }
        api.documentError(.uriTooLong, "The request target is longer than `server.limits.max_request_target_bytes`") {
            declares($0, [.path, .query])
        }
        api.documentError(.contentTooLarge, "The body is larger than `server.limits.max_body_bytes`") { $0.requestBody != nil }
        api.documentError(.headerFieldsTooLarge, "The header fields exceed `server.limits` (`max_header_bytes`, `max_header_line_bytes`, `max_header_count`)") {
            declares($0, [.header])
        }
    }

    /// The HTTP edge (DESIGN §12), in the order requests meet it: unknown hosts refused, compressed bodies inflated,
    /// CORS preflights answered (before authentication); on the way out, the last added finishes first, so
    /// compression sees the headers and body every other stage has set.
    private func addEdge(to api: inout API) {
        if !config.allowedHosts.isEmpty && !config.allowedHosts.contains("*") { api.use(AllowedHosts(config.allowedHosts)) }
        api.use(Compression(config.compression, bodyLimit: config.server.limits.maxBodySize, loops: config.server.workers))
        if config.cors.isEnabled { api.use(CORSMiddleware(config.cors)) }
        api.use(SecurityHeaders(strictTransportSecurity: config.publicURL.hasPrefix("https://")))
        if let rateLimits { api.use(rateLimits) }
    }

    /// Starts serving on `listeners` (passed in by systemd or a predecessor), else on sockets it binds; returns the
    /// running server (stop it with `stop(_:)`).
    public func start(on listeners: [Int32]? = nil) throws -> HTTPServer {
        let observer = ObserverGroup(accessLog: accessLog, metrics: metrics)
        let server = try HTTPServer(configuration: config.server, router: makeRouter(), observer: observer, time: time, listeners: listeners)
        services.store.attach(to: server.eventLoops)
        services.realtime.start { index, task in server.execute(onLoop: index, task) }
        logger.info("server.started", ["host": .string(config.server.host), "port": .integer(Int64(server.port)),
                                       "workers": .integer(Int64(config.server.workers)), "database": .string(config.database.location)])
        return server
    }

    /// Stops `server` gracefully and writes out the access log it buffered, then stops the job runner (its batch
    /// in hand may finish within the grace period), then lets the database writer commit what it was given and stop.
    public func stop(_ server: HTTPServer) {
        server.shutdown(whileDraining: services.realtime.closeAll)
        services.store.detach()
        accessLog.flushAll()
        close()
    }

    /// Stops the job runner and the writer; for an application whose server never started (or has stopped).
    public func close() {
        services.jobs.stop(graceMilliseconds: config.server.shutdownGraceMilliseconds)
        services.store.close()
    }

    /// `api serve`: opens the application for `config` and serves until SIGTERM or SIGINT, or until a successor takes
    /// over; returns the exit code.
    public static func serve(_ config: Config) -> Int32 {
        HTTPServer.blockTerminationSignals()           // before any thread starts (the writer's too), so all inherit the mask
        ProcessMemory.returnLargeBlocksToTheKernel()   // a burst of large bodies leaves nothing resident behind
        let manager = ServiceManager.fromEnvironment() // read (and cleared) before other threads read the environment
        let shutdown = ShutdownRequest.onTerminationSignal()
        let sockets: ListeningSockets
        do { sockets = try ListeningSockets.acquire(for: config) } catch {
            Console.error(error.description)
            return error.exitCode
        }
        do {
            let application = try Application(config: config, extraJobKinds: [], requeuesInterruptedJobs: sockets.predecessor == nil)
            return application.run(on: sockets, until: shutdown, manager: manager)
        } catch {
            sockets.abandon()
            Console.error(error.description)
            return error.exitCode
        }
    }

    /// Serves until `shutdown` fires, then shuts down gracefully; returns the process exit code. A predecessor is told
    /// to stop once this server accepts on its sockets; a successor may take them over in turn (`HandoverPoint`).
    private func run(on sockets: ListeningSockets, until shutdown: ShutdownRequest, manager: ServiceManager?) -> Int32 {
        let server: HTTPServer
        do { server = try start(on: sockets.descriptors) } catch {
            logger.error("server.start_failed", ["error": .string(String(describing: error))])
            Console.error("cannot listen on \(config.server.host):\(config.server.port): \(error)")
            sockets.abandon()
            close()
            return 1
        }
        if let predecessor = sockets.predecessor { takeOver(from: predecessor) }
        let point = sockets.isActivated ? nil : openHandoverPoint(server, shutdown: shutdown)
        let backups = startBackups()
        manager?.ready(status: "serving on \(config.server.host):\(server.port)", watching: server)
        let reason = shutdown.wait()
        manager?.stopping()
        point?.close()
        backups?.stop()
        logStopping(reason)
        stop(server)
        logger.info("server.stopped")
        return 0
    }

    /// The scheduled backups, when `backup.interval_s` asks for them.
    private func startBackups() -> BackupSchedule? {
        guard config.backup.intervalSeconds > 0 else { return nil }
        let schedule = BackupSchedule(settings: config.backup, database: config.database, metrics: services.backups, logger: logger, time: time)
        schedule.start()
        return schedule
    }

    /// Lets the predecessor stop now that this server accepts on its sockets, and once it has exited, runs again
    /// what it left running.
    private func takeOver(from predecessor: Predecessor) {
        predecessor.release()
        logger.info("server.took_over", ["port": .integer(Int64(predecessor.port))])
        _ = OSThread(name: "predecessor") { [self] in
            predecessor.waitUntilGone()
            do { try resumeInterruptedJobs() } catch { logger.error("jobs.resume_failed", ["error": .string(String(describing: error))]) }
        }
    }

    /// The point a successor takes this server's sockets from; without one (a data directory this user cannot write,
    /// a path too long for a Unix socket) restarts bind anew, and the log says so.
    private func openHandoverPoint(_ server: HTTPServer, shutdown: ShutdownRequest) -> HandoverPoint? {
        do {
            return try HandoverPoint(directory: config.database.directory, sockets: server.listeningSockets, host: config.server.host,
                                     port: server.port) { shutdown.fire(.handedOver) }
        } catch {
            logger.warning("server.no_handover", ["error": .string(error.description),
                                                  "note": .string("a restart cannot take over this server's sockets")])
            return nil
        }
    }

    private func logStopping(_ reason: ShutdownReason) {
        let grace = JSONValue.double(Double(config.server.shutdownGraceMilliseconds) / 1000)
        switch reason {
        case .signal(let number): logger.info("server.stopping", ["signal": .integer(Int64(number)), "grace_s": grace])
        case .handedOver: logger.info("server.stopping", ["reason": .string("handed over to a successor"), "grace_s": grace])
        }
    }
}
