/// Every configuration key `api` reads, in the order docs/configuration.md and config.example.json list them.
public enum ConfigSchema {
    /// All keys.
    public static let keys: [ConfigKey] = server + limits + timeouts + log + metrics + docs

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

    private static let log: [ConfigKey] = [
        ConfigKey(path: "log.level", kind: .choice(["debug", "info", "warning", "error"]), defaultValue: "info",
                  summary: "Least severe level written."),
        ConfigKey(path: "log.access", kind: .sampling, defaultValue: "on",
                  summary: "Access log: `on` (a JSON line per request on stdout), `off`, or `sample:N` (one request in N)."),
    ]

    private static let metrics: [ConfigKey] = [
        ConfigKey(path: "metrics.mode", kind: .choice(["open", "off"]), defaultValue: "open",
                  summary: "`GET /metrics`: `open` to anyone, or `off` (404, and nothing is counted)."),
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
