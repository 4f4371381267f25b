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
    /// Whether `GET /metrics` is served and requests are counted.
    public var metricsEnabled: Bool
    /// Status label of `http_requests_total`: classes (`2xx`) or exact codes.
    public var metricsGroupStatus: Bool
    /// The OpenAPI document and docs pages.
    public var docs: DocsConfiguration

    /// The defaults, as if no file, variable or flag were given.
    public static var defaults: Config { Config(values: Dictionary(uniqueKeysWithValues: ConfigSchema.keys.map { ($0.path, $0.defaultValue) })) }

    init(values: [String: JSONValue]) {
        func integer(_ path: String) -> Int { Int(values[path]!.intValue!) }                  // validated by ConfigKey
        func milliseconds(_ path: String) -> UInt64 { UInt64(values[path]!.doubleValue! * 1000) }  // validated by ConfigKey
        var server = ServerConfiguration()
        server.host = values["server.host"]!.stringValue!                                    // validated by ConfigKey
        server.port = integer("server.port")
        let workers = integer("server.workers")
        server.workers = workers > 0 ? workers : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        server.backlog = Int32(integer("server.backlog"))
        server.maxConnections = integer("server.max_connections")
        server.shutdownGraceMilliseconds = milliseconds("server.shutdown_grace_s")
        server.limits.maxRequestTarget = integer("server.limits.max_request_target_bytes")
        server.limits.maxHeaderLine = integer("server.limits.max_header_line_bytes")
        server.limits.maxHeadSize = integer("server.limits.max_header_bytes")
        server.limits.maxHeaderCount = integer("server.limits.max_header_count")
        server.limits.maxBodySize = integer("server.limits.max_body_bytes")
        server.headTimeoutMilliseconds = milliseconds("server.timeouts.head_s")
        server.bodyIdleTimeoutMilliseconds = milliseconds("server.timeouts.body_idle_s")
        server.keepAliveTimeoutMilliseconds = milliseconds("server.timeouts.keep_alive_s")
        self.server = server
        logLevel = LogLevel(values["log.level"]!.stringValue!)!                            // validated by ConfigKey
        accessLog = AccessLogMode(values["log.access"]!.stringValue!)!                     // validated by ConfigKey
        metricsEnabled = values["metrics.mode"]!.stringValue! == "open"                     // validated by ConfigKey
        metricsGroupStatus = values["metrics.group_status"]!.boolValue!                     // validated by ConfigKey
        var docs = DocsConfiguration()
        docs.isEnabled = values["docs.enabled"]!.boolValue!                                 // validated by ConfigKey
        docs.swaggerJavaScriptURL = values["docs.swagger_js_url"]!.stringValue!             // validated by ConfigKey
        docs.swaggerStyleSheetURL = values["docs.swagger_css_url"]!.stringValue!            // validated by ConfigKey
        docs.redocJavaScriptURL = values["docs.redoc_js_url"]!.stringValue!                 // validated by ConfigKey
        self.docs = docs
    }
}
