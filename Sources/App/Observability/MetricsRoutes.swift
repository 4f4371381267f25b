import Glibc
import HTTP
import Metrics
import OpenAPI

/// `GET /metrics`: Prometheus text exposition of the HTTP, process, auth and database metrics (DESIGN §7),
/// open to anyone or, with `metrics.mode: token`, to a bearer token with the `metrics` scope.
struct MetricsRoutes: Sendable {
    let metrics: HTTPMetrics
    let services: Services
    let rateLimits: RateLimits?
    let requiresToken: Bool

    /// Adds `GET /metrics` to `api`.
    func register(on api: inout API) {
        var operation = Operation(.get, "/metrics", id: "metrics", summary: "Prometheus metrics",
                                  description: "Prometheus text exposition format 0.0.4, with prometheus-fastapi-instrumentator's names.",
                                  tags: ["observability"])
            .response(.ok, description: "The current metrics", mediaType: "text/plain")
        if requiresToken {
            operation = operation.error(.forbidden, "The token lacks the `metrics` scope").access(.scope(Scopes.metrics))
        }
        let routes = self
        api.add(operation) { _, context in
            // A backlog or log that cannot be read shows as empty or absent: the other metrics still matter then.
            try routes.services.store.reading(context) { transaction in
                (try? transaction.jobs.backlog(), try? transaction.changes.bounds())
            } then: { backlog, bounds in
                Response(status: .ok, contentType: ExpositionWriter.contentType,
                         body: routes.exposition(backlog: backlog ?? JobBacklog(), changeLog: bounds, databaseIsUp: backlog != nil))
            }
        }
    }

    private func exposition(backlog: JobBacklog, changeLog: (first: Int64, last: Int64)?, databaseIsUp: Bool) -> [UInt8] {
        var writer = ExpositionWriter()
        metrics.write(to: &writer)
        services.metrics.write(to: &writer)
        rateLimits?.write(to: &writer)
        services.jobs.metrics.write(to: &writer, backlog: backlog, now: services.time.wallMilliseconds())
        let realtime = services.realtime
        realtime.metrics.write(to: &writer, subscriptions: realtime.openSubscriptions, channels: realtime.channels.openSubscriptions, log: changeLog,
                               lag: realtime.fanOutLag)
        services.backups.write(to: &writer)
        writer.single("api_database_busy_retries_total", .counter, help: "Write transactions retried because another process held the lock.", Double(services.store.busyRetries))
        writer.single("api_database_commits_total", .counter, help: "Write transactions committed (each a batch of concurrent writes).", Double(services.store.commits))
        writer.single("api_database_up", .gauge, help: "1 when the database answered this scrape's read, else 0.", databaseIsUp ? 1 : 0)
        writer.family("api_instance_info", .gauge, help: "This instance of N on one database: its host name, process id and engine (Prometheus adds the scraped address as `instance`).")
        writer.sample("api_instance_info", [("hostname", Self.hostname), ("pid", String(getpid())), ("engine", services.engineName)], 1)
        ProcessMetrics.read().write(to: &writer)
        return writer.bytes
    }

    /// The machine's name (`gethostname`), read once.
    private static let hostname: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()
}
