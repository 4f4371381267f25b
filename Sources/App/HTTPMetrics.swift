public import HTTP
public import Metrics
import Synchronization

/// The HTTP metrics of prometheus-fastapi-instrumentator (same names, labels and default buckets, so dashboards
/// built for the FastAPI app keep working) plus `api_connections_open` and `api_requests_rejected_total`.
///
/// Each loop records into its own shard; a shard's mutex is only ever contended by a scrape, never by
/// another loop, so counting takes no lock shared between loops (DESIGN §7). Scrapes merge the shards.
public final class HTTPMetrics: ServerObserver, Middleware {
    private struct SeriesKey: Hashable {
        let handler: String
        let method: String
        let status: String
    }

    private struct HandlerMethod: Hashable {
        let handler: String
        let method: String
    }

    private struct Shard {
        var requests: [SeriesKey: UInt64] = [:]
        var requestSizes: [String: SummaryValue] = [:]
        var responseSizes: [String: SummaryValue] = [:]
        var durations: [HandlerMethod: Histogram] = [:]
        var durationsHighResolution = Histogram(bounds: HTTPMetrics.highResolutionBounds)
        var inProgress: [HandlerMethod: Int] = [:]
        var rejected: [Int: UInt64] = [:]
        var connectionsOpen = 0
    }

    private final class ShardBox: Sendable {
        let shard = Mutex(Shard())
    }

    /// prometheus-fastapi-instrumentator's `latency_lowr_buckets`.
    static let lowResolutionBounds: [Double] = [0.1, 0.5, 1]
    /// prometheus-fastapi-instrumentator's `latency_highr_buckets`.
    static let highResolutionBounds: [Double] = [0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 7.5, 10, 30, 60]
    /// The handler label of requests that matched no route (the instrumentator's `should_group_untemplated`).
    static let unmatchedHandler = "none"

    private let shards: [ShardBox]
    private let groupStatus: Bool

    /// Metrics for `loops` loops; `groupStatus` labels statuses `2xx`, `4xx`... instead of exact codes.
    public init(loops: Int, groupStatus: Bool) {
        shards = (0..<loops).map { _ in ShardBox() }
        self.groupStatus = groupStatus
    }

    // MARK: - Recording (loop threads)

    public func requestFinished(_ record: RequestRecord, loop: Int) {
        shards[loop].shard.withLock { shard in
            if record.isRejected {
                shard.rejected[record.status, default: 0] += 1
                return
            }
            let handler = record.route ?? Self.unmatchedHandler
            let status = groupStatus ? "\(record.status / 100)xx" : String(record.status)
            shard.requests[SeriesKey(handler: handler, method: record.method, status: status), default: 0] += 1
            shard.requestSizes[handler, default: SummaryValue()].observe(Double(record.requestBodyBytes))
            shard.responseSizes[handler, default: SummaryValue()].observe(Double(record.responseBodyBytes))
            let seconds = Double(record.durationNanoseconds) / 1e9
            shard.durations[HandlerMethod(handler: handler, method: record.method), default: Histogram(bounds: Self.lowResolutionBounds)]
                .observe(seconds)
            shard.durationsHighResolution.observe(seconds)
        }
    }

    public func connectionChanged(opened: Bool, loop: Int) {
        shards[loop].shard.withLock { $0.connectionsOpen += opened ? 1 : -1 }
    }

    public func batchFinished(loop: Int) {}

    /// Counts the request in `http_requests_inprogress` while the rest of the chain runs.
    public func handle(
        _ request: Request, _ context: inout RequestContext, next: (Request, inout RequestContext) throws -> Response
    ) throws -> Response {
        let key = HandlerMethod(handler: context.route ?? Self.unmatchedHandler, method: request.method.name)
        let shard = shards[context.loopIndex]
        shard.shard.withLock { $0.inProgress[key, default: 0] += 1 }
        defer { shard.shard.withLock { $0.inProgress[key, default: 0] -= 1 } }
        return try next(request, &context)
    }

    // MARK: - Scraping (any thread)

    /// Merges the shards and writes every family.
    public func write(to writer: inout ExpositionWriter) {
        let merged = mergedShards()
        writer.family("http_requests_total", .counter, help: "Total number of requests by method, status and handler.")
        for (key, count) in merged.requests.sorted(by: { ($0.key.handler, $0.key.method, $0.key.status) < ($1.key.handler, $1.key.method, $1.key.status) }) {
            writer.sample("http_requests_total", [("handler", key.handler), ("method", key.method), ("status", key.status)], Double(count))
        }
        writeSummaries("http_request_size_bytes", merged.requestSizes, to: &writer,
                       help: "Content length of incoming requests by handler. Only value of header is respected. Otherwise ignored. No percentile calculated. ")
        writeSummaries("http_response_size_bytes", merged.responseSizes, to: &writer,
                       help: "Content length of outgoing responses by handler. Only value of header is respected. Otherwise ignored. No percentile calculated. ")
        writer.family("http_request_duration_highr_seconds", .histogram,
                      help: "Latency with many buckets but no API specific labels. Made for more accurate percentile calculations. ")
        writer.histogram("http_request_duration_highr_seconds", [], merged.durationsHighResolution)
        writer.family("http_request_duration_seconds", .histogram,
                      help: "Latency with only few buckets by handler. Made to be only used if aggregation by handler is important. ")
        for (key, histogram) in merged.durations.sorted(by: { ($0.key.handler, $0.key.method) < ($1.key.handler, $1.key.method) }) {
            writer.histogram("http_request_duration_seconds", [("handler", key.handler), ("method", key.method)], histogram)
        }
        writer.family("http_requests_inprogress", .gauge, help: "Number of HTTP requests in progress.")
        for (key, count) in merged.inProgress.sorted(by: { ($0.key.handler, $0.key.method) < ($1.key.handler, $1.key.method) }) {
            writer.sample("http_requests_inprogress", [("handler", key.handler), ("method", key.method)], Double(count))
        }
        writer.family("api_connections_open", .gauge, help: "Client connections open.")
        writer.sample("api_connections_open", [], Double(merged.connectionsOpen))
        writer.family("api_requests_rejected_total", .counter,
                      help: "Requests refused before routing (malformed, over a limit, timed out), by status.")
        for (status, count) in merged.rejected.sorted(by: { $0.key < $1.key }) {
            writer.sample("api_requests_rejected_total", [("status", String(status))], Double(count))
        }
    }

    private func writeSummaries(_ name: String, _ values: [String: SummaryValue], to writer: inout ExpositionWriter, help: String) {
        writer.family(name, .summary, help: help)
        for (handler, summary) in values.sorted(by: { $0.key < $1.key }) { writer.summary(name, [("handler", handler)], summary) }
    }

    private func mergedShards() -> Shard {
        var total = Shard()
        for box in shards {
            let shard = box.shard.withLock { $0 }
            total.requests.merge(shard.requests, uniquingKeysWith: +)
            total.requestSizes.merge(shard.requestSizes) { var sum = $0; sum.merge($1); return sum }
            total.responseSizes.merge(shard.responseSizes) { var sum = $0; sum.merge($1); return sum }
            total.durations.merge(shard.durations) { var sum = $0; sum.merge($1); return sum }
            total.durationsHighResolution.merge(shard.durationsHighResolution)
            total.inProgress.merge(shard.inProgress, uniquingKeysWith: +)
            total.rejected.merge(shard.rejected, uniquingKeysWith: +)
            total.connectionsOpen += shard.connectionsOpen
        }
        return total
    }
}
