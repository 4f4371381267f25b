import Glibc
public import HTTP
import JSON
public import OpenAPI

/// The resolved configuration, typed; built by `ConfigLoader` from values it has already checked.
public struct Config: Sendable {
    /// The HTTP server settings.
    public var server: ServerConfiguration
    /// Least severe level logged.
    public var logLevel: LogLevel
    /// Access-log mode.
    public var accessLog: AccessLogMode
    /// Who may read `GET /metrics`; with `.off` nothing is counted.
    public var metricsMode: MetricsMode
    /// Status label of `http_requests_total`: classes (`2xx`) or exact codes.
    public var metricsGroupStatus: Bool
    /// The OpenAPI document and docs pages.
    public var docs: DocsConfiguration
    /// Cross-origin calls from browsers (`http.cors`).
    public var cors: CORSPolicy
    /// Compressed answers and requests (`http.compression`).
    public var compression: CompressionSettings
    /// The URL clients reach the server at, or "" (`server.public_url`).
    public var publicURL: String
    /// `Host` names answered for; empty for any (`server.allowed_hosts`).
    public var allowedHosts: [String]
    /// The rate limits enforced, first match first; empty when `http.rate_limits.enabled` is off.
    public var rateLimitRules: [RateLimitRule]
    /// Whether the instances on one PostgreSQL database count the rate limits together (`http.rate_limits.shared`).
    public var rateLimitsShared: Bool
    /// The database: a SQLite file, or PostgreSQL when `database.url` names one.
    public var database: DatabaseSettings
    /// Tokens, passwords and login throttling.
    public var auth: AuthSettings
    /// Background jobs: retries and batching.
    public var jobs: JobSettings
    /// The audit log's optional file (`audit.file`), or "".
    public var auditFile: String
    /// The backups `serve` makes by itself (`backup`).
    public var backup: BackupSettings
    /// The change log and the streams (`realtime`).
    public var realtime: RealtimeSettings
    /// The channels declared in `realtime.channels`, in declaration order.
    var channels: [ChannelDeclaration]
    /// The resources declared in the configuration, in declaration order.
    var resources: [ResourceDeclaration]

    /// Whether `GET /metrics` is served and requests are counted.
    public var metricsEnabled: Bool { metricsMode != .off }

    /// The defaults, as if no file, variable or flag were given.
    public static var defaults: Config { Config(values: Dictionary(uniqueKeysWithValues: ConfigSchema.keys.map { ($0.path, $0.defaultValue) })) }

    init(values: [String: JSONValue]) {
        func integer(_ path: String) -> Int { Int(values[path]!.intValue!) }                  // validated by ConfigKey
        func milliseconds(_ path: String) -> UInt64 { UInt64(values[path]!.doubleValue! * 1000) }  // validated by ConfigKey
        func string(_ path: String) -> String { values[path]!.stringValue! }                    // validated by ConfigKey
        func strings(_ path: String) -> [String] { values[path]!.arrayValue!.map { $0.stringValue! } }  // validated by ConfigKey
        func flag(_ path: String) -> Bool { values[path]!.boolValue! }                          // validated by ConfigKey
        var server = ServerConfiguration()
        server.host = string("server.host")
        server.port = integer("server.port")
        let workers = integer("server.workers")
        server.workers = workers > 0 ? workers : Self.processorCount
        server.backlog = Int32(integer("server.backlog"))
        server.maxConnections = integer("server.max_connections")
        server.shutdownGraceMilliseconds = milliseconds("server.shutdown_grace_s")
        let workerThreads = integer("server.worker_threads")
        server.workerThreads = workerThreads > 0 ? workerThreads : Self.processorCount
        server.workerQueueCapacity = integer("server.worker_queue")
        server.limits.maxRequestTarget = integer("server.limits.max_request_target_bytes")
        server.limits.maxHeaderLine = integer("server.limits.max_header_line_bytes")
        server.limits.maxHeadSize = integer("server.limits.max_header_bytes")
        server.limits.maxHeaderCount = integer("server.limits.max_header_count")
        server.limits.maxBodySize = integer("server.limits.max_body_bytes")
        server.headTimeoutMilliseconds = milliseconds("server.timeouts.head_s")
        server.bodyIdleTimeoutMilliseconds = milliseconds("server.timeouts.body_idle_s")
        server.keepAliveTimeoutMilliseconds = milliseconds("server.timeouts.keep_alive_s")
        server.trustedProxies = strings("server.trusted_proxies")
        self.server = server
        logLevel = LogLevel(string("log.level"))!                                          // validated by ConfigKey
        accessLog = AccessLogMode(string("log.access"))!                                   // validated by ConfigKey
        metricsMode = MetricsMode(rawValue: string("metrics.mode"))!                       // validated by ConfigKey
        metricsGroupStatus = flag("metrics.group_status")
        var docs = DocsConfiguration()
        docs.isEnabled = flag("docs.enabled")
        docs.swaggerJavaScriptURL = string("docs.swagger_js_url")
        docs.swaggerStyleSheetURL = string("docs.swagger_css_url")
        docs.redocJavaScriptURL = string("docs.redoc_js_url")
        self.docs = docs
        var cors = CORSPolicy()
        cors.allowOrigins = strings("http.cors.allow_origins")
        cors.allowMethods = strings("http.cors.allow_methods")
        cors.allowHeaders = strings("http.cors.allow_headers")
        cors.exposeHeaders = strings("http.cors.expose_headers")
        cors.allowCredentials = flag("http.cors.allow_credentials")
        cors.maxAgeSeconds = integer("http.cors.max_age_s")
        self.cors = cors
        var compression = CompressionSettings()
        compression.isEnabled = flag("http.compression.enabled")
        compression.minimumBytes = integer("http.compression.min_bytes")
        compression.level = integer("http.compression.level")
        self.compression = compression
        publicURL = string("server.public_url")
        allowedHosts = strings("server.allowed_hosts")
        rateLimitRules = flag("http.rate_limits.enabled") ? strings("http.rate_limits.rules").map { try! RateLimitRule(parsing: $0) } : []   // checked by ConfigLoader
        rateLimitsShared = flag("http.rate_limits.shared")
        database = DatabaseSettings(path: string("database.path"), synchronous: string("database.synchronous"),   // validated by ConfigKey
                                    busyTimeoutMilliseconds: integer("database.busy_timeout_ms"), autoMigrate: flag("database.auto_migrate"),
                                    url: string("database.url"), statementTimeoutMilliseconds: integer("database.statement_timeout_ms"))
        let audience = string("auth.audience")
        auth = AuthSettings(
            secret: string("auth.secret"), secretFile: string("auth.secret_file"), retiredSecretFiles: strings("auth.retired_secret_files"),
            issuer: string("auth.issuer"), audience: audience.isEmpty ? nil : audience,
            accessTokenLifetime: Int64(integer("auth.access_token_ttl_s")), refreshTokenLifetime: Int64(integer("auth.refresh_token_ttl_s")),
            leeway: Int64(integer("auth.leeway_s")), allowsSignup: flag("auth.allow_signup"),
            argon2MemoryKiB: integer("auth.argon2.memory_kib"), argon2Iterations: integer("auth.argon2.iterations"),
            argon2Parallelism: integer("auth.argon2.parallelism"),
            loginThrottle: LoginThrottle.Limits(
                pair: integer("auth.login_throttle.account_address_failures"), address: integer("auth.login_throttle.address_failures"),
                accountSlowdown: integer("auth.login_throttle.account_slowdown_failures"), window: Int64(integer("auth.login_throttle.window_s"))))
        jobs = JobSettings(maxAttempts: integer("jobs.max_attempts"), backoffBaseMilliseconds: Int64(integer("jobs.backoff_base_ms")),
                           backoffMaxMilliseconds: Int64(integer("jobs.backoff_max_s")) * 1000, batchSize: integer("jobs.batch_size"),
                           retentionMilliseconds: Int64(integer("jobs.retention_s")) * 1000)
        auditFile = string("audit.file")
        backup = BackupSettings(intervalSeconds: integer("backup.interval_s"), keep: integer("backup.keep"), directory: string("backup.dir"))
        realtime = RealtimeSettings(retentionSeconds: Int64(integer("realtime.retention_s")), retentionCount: integer("realtime.retention_count"),
                                    maxQueueBytes: integer("realtime.max_queue_bytes"), maxMessageBytes: integer("realtime.max_message_bytes"),
                                    heartbeatMilliseconds: milliseconds("realtime.heartbeat_s"), pingMilliseconds: milliseconds("realtime.ping_s"),
                                    pongTimeoutMilliseconds: milliseconds("realtime.pong_timeout_s"))
        resources = try! ResourceDeclarationReader.read(values["resources"]!)     // validated by ConfigKey
        channels = try! ChannelDeclarationReader.read(values["realtime.channels"]!)     // validated by ConfigKey
    }

    private static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
