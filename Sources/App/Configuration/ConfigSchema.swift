/// Every configuration key `api` reads, in the order docs/configuration.md and config.example.json list them.
public enum ConfigSchema {
    /// All keys.
    public static let keys: [ConfigKey] = server + limits + timeouts + cors + compression + rateLimits + database + auth + throttle + argon2 + jobs + audit + backup + realtime + log + metrics + docs + resources

    private static let server: [ConfigKey] = [
        ConfigKey(path: "server.host", kind: .string, defaultValue: "127.0.0.1",
                  summary: "Address to listen on (`0.0.0.0` for all IPv4 interfaces, `::` for IPv6)."),
        ConfigKey(path: "server.port", kind: .integer(0...65535), defaultValue: 8000,
                  summary: "TCP port; 0 picks a free one."),
        ConfigKey(path: "server.workers", kind: .integer(0...1024), defaultValue: 0,
                  summary: "Event loops (threads), each with its own listener; 0 means one per CPU core."),
        ConfigKey(path: "server.backlog", kind: .integer(1...65535), defaultValue: 1024,
                  summary: "Pending-connection queue of each listener (listen(2) backlog)."),
        ConfigKey(path: "server.max_connections", kind: .integer(1...1_000_000), defaultValue: 10000,
                  summary: "Open connections at most; past it a new connection gets 503 and is closed."),
        ConfigKey(path: "server.shutdown_grace_s", kind: .number(0...3600), defaultValue: 10,
                  summary: "After SIGTERM/SIGINT, how long in-flight requests get to finish before connections are closed."),
        ConfigKey(path: "server.worker_threads", kind: .integer(0...256), defaultValue: 0,
                  summary: "Threads that hash passwords (and other CPU-heavy work), at a lower priority than the loops; 0 means one per core."),
        ConfigKey(path: "server.worker_queue", kind: .integer(1...1_000_000), defaultValue: 256,
                  summary: "Requests that may wait for a worker thread; past it they get 503 with `Retry-After`."),
        ConfigKey(path: "server.trusted_proxies", kind: .stringList, defaultValue: [],
                  summary: "Addresses of reverse proxies whose `X-Forwarded-For` names the client (for login throttling and logs); others are ignored."),
        ConfigKey(path: "server.public_url", kind: .string, defaultValue: "",
                  summary: "The URL clients reach the server at (`https://api.example.com`); with `https://`, answers carry `Strict-Transport-Security`."),
        ConfigKey(path: "server.allowed_hosts", kind: .stringList, defaultValue: [],
                  summary: "`Host` names the server answers for (`api.example.com`, `*.example.com`); others get 400. Empty: any."),
    ]

    private static let limits: [ConfigKey] = [
        ConfigKey(path: "server.limits.max_request_target_bytes", kind: .integer(256...1_048_576), defaultValue: 8192,
                  summary: "Longest request target (path and query); longer is 414."),
        ConfigKey(path: "server.limits.max_header_line_bytes", kind: .integer(256...1_048_576), defaultValue: 8192,
                  summary: "Longest single header line; longer is 431."),
        ConfigKey(path: "server.limits.max_header_bytes", kind: .integer(1024...4_194_304), defaultValue: 32768,
                  summary: "Largest request head (request line and headers); larger is 431."),
        ConfigKey(path: "server.limits.max_header_count", kind: .integer(1...10_000), defaultValue: 100,
                  summary: "Most header fields in a request; more is 431."),
        ConfigKey(path: "server.limits.max_body_bytes", kind: .integer(0...1_073_741_824), defaultValue: 1_048_576,
                  summary: "Largest request body; larger is 413, decided from Content-Length before reading."),
    ]

    private static let timeouts: [ConfigKey] = [
        ConfigKey(path: "server.timeouts.head_s", kind: .number(0.1...3600), defaultValue: 10,
                  summary: "From a request's first byte to the end of its head; then 408 and close."),
        ConfigKey(path: "server.timeouts.body_idle_s", kind: .number(0.1...3600), defaultValue: 10,
                  summary: "Longest silence while reading a body or writing a response; then 408 (or close)."),
        ConfigKey(path: "server.timeouts.keep_alive_s", kind: .number(0.1...3600), defaultValue: 5,
                  summary: "Longest silence between requests on a kept-alive connection; then it is closed."),
    ]

    private static let cors: [ConfigKey] = [
        ConfigKey(path: "http.cors.allow_origins", kind: .stringList, defaultValue: [],
                  summary: "Origins whose pages may call the API from a browser (`https://app.example.com`, no path), or `*` for any (not with credentials). Empty: none."),
        ConfigKey(path: "http.cors.allow_methods", kind: .stringList,
                  defaultValue: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
                  summary: "Methods a preflight may ask for."),
        ConfigKey(path: "http.cors.allow_headers", kind: .stringList, defaultValue: ["authorization", "content-type"],
                  summary: "Request headers a preflight may ask for, or `*`; Accept, Accept-Language, Content-Language and Content-Type always pass."),
        ConfigKey(path: "http.cors.expose_headers", kind: .stringList,
                  defaultValue: ["x-request-id", "retry-after", "location", "ratelimit", "ratelimit-policy"],
                  summary: "Response headers the page may read besides the safelisted ones."),
        ConfigKey(path: "http.cors.allow_credentials", kind: .boolean, defaultValue: false,
                  summary: "Let the browser send cookies and HTTP authentication and show the answer (`Access-Control-Allow-Credentials`); bearer tokens need not."),
        ConfigKey(path: "http.cors.max_age_s", kind: .integer(0...86_400), defaultValue: 600,
                  summary: "How long a browser may reuse a preflight's answer."),
    ]

    private static let compression: [ConfigKey] = [
        ConfigKey(path: "http.compression.enabled", kind: .boolean, defaultValue: true,
                  summary: "Compress answers with gzip or deflate when `Accept-Encoding` allows it. Compressed request bodies are read either way."),
        ConfigKey(path: "http.compression.min_bytes", kind: .integer(0...1_073_741_824), defaultValue: 500,
                  summary: "Smaller answers go out uncompressed (unless the client refuses `identity`)."),
        ConfigKey(path: "http.compression.level", kind: .integer(1...9), defaultValue: 6,
                  summary: "zlib's level: 1 fastest, 9 smallest."),
    ]

    private static let rateLimits: [ConfigKey] = [
        ConfigKey(path: "http.rate_limits.enabled", kind: .boolean, defaultValue: true,
                  summary: "Enforce `http.rate_limits.rules` (429 with `Retry-After` past a limit)."),
        ConfigKey(path: "http.rate_limits.rules", kind: .stringList,
                  defaultValue: ["auth: auth 2/s 20 address", "write: write 20/s 100 subject", "read: read 50/s 300 subject"],
                  summary: "`NAME: MATCH RATE BURST KEY`, the first that matches a request counting it: MATCH `auth`, `write`, `read`, `/route/{param}` or `POST /route/`; RATE `N/s`, `N/m` or `N/h`; KEY `address` or `subject` (the token's user, else the address). See docs/edge.md."),
        ConfigKey(path: "http.rate_limits.shared", kind: .boolean, defaultValue: false,
                  summary: "With `database.url`: the instances on the database count every rule together (one more statement for each limited request their own counts admit), instead of each on its own. See docs/edge.md."),
    ]

    private static let database: [ConfigKey] = [
        ConfigKey(path: "database.path", kind: .string, defaultValue: "./data/api.db",
                  summary: "The SQLite file; its directory is created if missing and also holds the generated secret."),
        ConfigKey(path: "database.synchronous", kind: .choice(["normal", "full"]), defaultValue: "normal",
                  summary: "`normal`: a commit survives a crash of the process (WAL); `full`: also a power loss (fsync per commit)."),
        ConfigKey(path: "database.busy_timeout_ms", kind: .integer(0...600_000), defaultValue: 5000,
                  summary: "How long a write waits for another process's lock (an `api` command) before failing."),
        ConfigKey(path: "database.auto_migrate", kind: .boolean, defaultValue: true,
                  summary: "`serve` applies pending migrations at start; with `false` it refuses to start until `api migrate` has run."),
        ConfigKey(path: "database.url", kind: .string, defaultValue: "",
                  summary: "A PostgreSQL connection string (`postgres://user@host/db?sslmode=verify-full` or `key=value`, with libpq's `PG*` variables for what it leaves out): the data lives there instead of `database.path`, which still holds `handover.sock`. Set it with `API_DATABASE_URL`. See docs/scaling.md."),
        ConfigKey(path: "database.statement_timeout_ms", kind: .integer(100...600_000), defaultValue: 5000,
                  summary: "PostgreSQL: the longest a statement waits for its answer; past it the connection is dropped and made again, and the request fails with 503."),
    ]

    private static let auth: [ConfigKey] = [
        ConfigKey(path: "auth.secret", kind: .string, defaultValue: "",
                  summary: "The HS256 signing secret (32 bytes or more). Set it with `API_AUTH_SECRET` rather than in the file."),
        ConfigKey(path: "auth.secret_file", kind: .string, defaultValue: "",
                  summary: "A file holding the secret. With neither, a random one is made at `<database dir>/secret.key` (0600)."),
        ConfigKey(path: "auth.retired_secret_files", kind: .stringList, defaultValue: [],
                  summary: "Files with earlier secrets: tokens they signed still verify (by `kid`) while new ones use the current secret."),
        ConfigKey(path: "auth.issuer", kind: .string, defaultValue: "api",
                  summary: "The `iss` of issued tokens, required of presented ones."),
        ConfigKey(path: "auth.audience", kind: .string, defaultValue: "",
                  summary: "The `aud` of issued tokens, required of presented ones; empty for none."),
        ConfigKey(path: "auth.access_token_ttl_s", kind: .integer(10...86_400), defaultValue: 1800,
                  summary: "Lifetime of access tokens."),
        ConfigKey(path: "auth.refresh_token_ttl_s", kind: .integer(60...31_536_000), defaultValue: 1_209_600,
                  summary: "Lifetime of refresh tokens (each use replaces the token; the family expires with its last one)."),
        ConfigKey(path: "auth.leeway_s", kind: .integer(0...300), defaultValue: 30,
                  summary: "Clock skew tolerated on `exp` and `nbf`."),
        ConfigKey(path: "auth.allow_signup", kind: .boolean, defaultValue: true,
                  summary: "`POST /users/` without a token creates a user; with `false` only an admin can."),
    ]

    private static let throttle: [ConfigKey] = [
        ConfigKey(path: "auth.login_throttle.account_address_failures", kind: .integer(1...100_000), defaultValue: 5,
                  summary: "Login attempts for one account from one client address per window (a burst, then refilling) before further ones from that address get 429."),
        ConfigKey(path: "auth.login_throttle.address_failures", kind: .integer(1...100_000), defaultValue: 20,
                  summary: "Login attempts from one client address per window, whatever the accounts, before further ones get 429."),
        ConfigKey(path: "auth.login_throttle.account_slowdown_failures", kind: .integer(1...1_000_000), defaultValue: 100,
                  summary: "Login attempts for one account from all addresses per window past which each further one is answered 100 ms later than the last (at most 10 s later): slowed, never refused."),
        ConfigKey(path: "auth.login_throttle.window_s", kind: .integer(1...86_400), defaultValue: 60,
                  summary: "The throttling window: each limit refills over it (GCRA); `Retry-After` says when the next attempt is admitted."),
    ]

    private static let argon2: [ConfigKey] = [
        ConfigKey(path: "auth.argon2.memory_kib", kind: .integer(8...4_194_304), defaultValue: 19456,
                  summary: "Argon2id memory cost of new password hashes (OWASP: 19456 KiB). Stored hashes with other costs are re-hashed at login."),
        ConfigKey(path: "auth.argon2.iterations", kind: .integer(1...100), defaultValue: 2,
                  summary: "Argon2id passes."),
        ConfigKey(path: "auth.argon2.parallelism", kind: .integer(1...64), defaultValue: 1,
                  summary: "Argon2id lanes."),
    ]

    private static let jobs: [ConfigKey] = [
        ConfigKey(path: "jobs.max_attempts", kind: .integer(1...1000), defaultValue: 5,
                  summary: "Runs of a failing background job before it is `dead` (kept with its last error; `api jobs retry ID`)."),
        ConfigKey(path: "jobs.backoff_base_ms", kind: .integer(1...3_600_000), defaultValue: 500,
                  summary: "Delay before the first retry; each retry doubles it (with jitter, 50-100%)."),
        ConfigKey(path: "jobs.backoff_max_s", kind: .integer(1...86_400), defaultValue: 300,
                  summary: "The longest delay between retries."),
        ConfigKey(path: "jobs.batch_size", kind: .integer(1...10_000), defaultValue: 256,
                  summary: "Jobs claimed per transaction; their results are committed together with the next claim."),
        ConfigKey(path: "jobs.retention_s", kind: .integer(0...31_536_000), defaultValue: 0,
                  summary: "How long succeeded jobs are kept (for `api jobs list`) before they are deleted; 0 deletes them at once. Dead jobs are kept."),
    ]

    private static let realtime: [ConfigKey] = [
        ConfigKey(path: "realtime.retention_s", kind: .integer(60...31_536_000), defaultValue: 604_800,
                  summary: "How long the change log keeps a change; a subscriber resuming from an older id gets `reset`."),
        ConfigKey(path: "realtime.retention_count", kind: .integer(1000...1_000_000_000), defaultValue: 1_000_000,
                  summary: "The most changes the change log keeps; the oldest go first."),
        ConfigKey(path: "realtime.max_queue_bytes", kind: .integer(65_536...268_435_456), defaultValue: 1_048_576,
                  summary: "Bytes a stream may have waiting to be sent; a subscriber past it is closed with its last id (`overflow`, close code 4008) and resumes."),
        ConfigKey(path: "realtime.max_message_bytes", kind: .integer(125...67_108_864), defaultValue: 1_048_576,
                  summary: "The largest WebSocket message a client may send, after reassembly and inflation (close code 1009 past it)."),
        ConfigKey(path: "realtime.heartbeat_s", kind: .integer(1...300), defaultValue: 15,
                  summary: "Seconds between the comments that keep an idle event stream open through proxies."),
        ConfigKey(path: "realtime.ping_s", kind: .integer(1...3600), defaultValue: 30,
                  summary: "Seconds between the pings a WebSocket gets; one that does not answer within `realtime.pong_timeout_s` is closed."),
        ConfigKey(path: "realtime.pong_timeout_s", kind: .integer(1...600), defaultValue: 10,
                  summary: "How long a WebSocket has to answer a ping."),
        ConfigKey(path: "realtime.channels", kind: .channels, defaultValue: [:],
                  summary: "Channels for ephemeral messages over `GET /realtime`: by name pattern, who may subscribe and publish, the history kept, the largest message (docs/realtime.md)."),
    ]

    private static let backup: [ConfigKey] = [
        ConfigKey(path: "backup.interval_s", kind: .integer(0...31_536_000), defaultValue: 0,
                  summary: "Seconds between the backups `api serve` makes of the database while it serves (writes go on meanwhile); 0 makes none."),
        ConfigKey(path: "backup.keep", kind: .integer(1...100_000), defaultValue: 7,
                  summary: "How many of the newest scheduled backups are kept; older ones are deleted."),
        ConfigKey(path: "backup.dir", kind: .string, defaultValue: "",
                  summary: "Where scheduled backups go (files `api-<UTC time>.db`, mode 0600); empty means `backups/` beside the database."),
    ]

    private static let audit: [ConfigKey] = [
        ConfigKey(path: "audit.file", kind: .string, defaultValue: "",
                  summary: "If set, each audit entry is also appended to this file as a JSON line (at least once: a crash may repeat a line)."),
    ]

    private static let log: [ConfigKey] = [
        ConfigKey(path: "log.level", kind: .choice(["debug", "info", "warning", "error"]), defaultValue: "info",
                  summary: "Least severe level written."),
        ConfigKey(path: "log.access", kind: .sampling, defaultValue: "on",
                  summary: "Access log: `on` (a JSON line per request on stdout), `off`, or `sample:N` (one request in N)."),
    ]

    private static let metrics: [ConfigKey] = [
        ConfigKey(path: "metrics.mode", kind: .choice(["open", "token", "off"]), defaultValue: "open",
                  summary: "`GET /metrics`: `open` to anyone, `token` (a bearer token with the `metrics` scope), or `off` (404, and nothing is counted)."),
        ConfigKey(path: "metrics.group_status", kind: .boolean, defaultValue: true,
                  summary: "Label `http_requests_total` by status class (`2xx`, `4xx`) rather than exact code."),
    ]

    private static let docs: [ConfigKey] = [
        ConfigKey(path: "docs.enabled", kind: .boolean, defaultValue: true,
                  summary: "Serve `/openapi.json`, `/docs` (Swagger UI), `/redoc` (ReDoc) and `/docs/offline`."),
        ConfigKey(path: "docs.swagger_js_url", kind: .string, defaultValue: "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js",
                  summary: "Swagger UI's JavaScript bundle, loaded by the browser for `/docs`; point it at your own copy when the CDN is unreachable."),
        ConfigKey(path: "docs.swagger_css_url", kind: .string, defaultValue: "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css",
                  summary: "Swagger UI's style sheet, for `/docs`."),
        ConfigKey(path: "docs.redoc_js_url", kind: .string, defaultValue: "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js",
                  summary: "ReDoc's standalone bundle, for `/redoc`. `/docs/offline` needs no external script."),
    ]

    private static let resources: [ConfigKey] = [
        ConfigKey(path: "resources", kind: .resources, defaultValue: [:],
                  summary: "The team's own data: each resource's fields, constraints, indexes and rules, served as CRUD endpoints (docs/resources.md)."),
    ]

    /// The key at `path`, if there is one.
    static func key(_ path: String) -> ConfigKey? { keyIndex[path] }

    /// `true` when `path` is a section (`server`, `server.limits`) that holds keys.
    static func isSection(_ path: String) -> Bool { sections.contains(path) }

    private static let keyIndex = Dictionary(uniqueKeysWithValues: keys.map { ($0.path, $0) })
    private static let sections: Set<String> = Set(keys.flatMap { key in
        let parts = key.path.split(separator: ".")
        return (1..<parts.count).map { parts[..<$0].joined(separator: ".") }
    })
}
