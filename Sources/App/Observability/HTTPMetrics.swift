public import HTTP
public import Metrics
import Synchronization

/// The HTTP metrics of prometheus-fastapi-instrumentator (same names, labels and default buckets, so dashboards
/// built for the FastAPI app keep working) plus `api_connections_open` and `api_requests_rejected_total`.
///
/// Each loop records into its own shard; a shard's mutex is only ever contended by a scrape, never by
/// another loop, so counting takes no lock shared between loops (DESIGN §7). Scrapes merge the shards.
/// The shards are a `PerLoop`: each on cache lines of its own (a loop writes its shard's mutex twice per
/// request), reached without a retain.
public final class HTTPMetrics: ServerObserver, Middleware {
    private struct HandlerMethod: Hashable {
        let handler: String
        let method: String
    }

    /// Everything recorded for one (handler, method).
    private struct Series {
        let key: HandlerMethod
        /// By exact code (grouped into classes at scrape time), as a short list: a series sees few codes, and
        /// finding one in order costs less than hashing it on every request.
        var statusCounts: [(code: Int, count: UInt64)] = []
        var requestSize = SummaryValue()
        var responseSize = SummaryValue()
        var duration = Histogram(bounds: HTTPMetrics.lowResolutionBounds)
        var inProgress = 0

        /// Adds a finished request; it is no longer in progress.
        mutating func record(_ record: RequestRecord, seconds: Double) {
            count(record.status, 1)
            requestSize.observe(Double(record.requestBodyBytes))
            responseSize.observe(Double(record.responseBodyBytes))
            duration.observe(seconds)
            inProgress -= 1
        }

        private mutating func count(_ code: Int, _ requests: UInt64) {
            if let index = statusCounts.firstIndex(where: { $0.code == code }) {
                statusCounts[index].count += requests
            } else {
                statusCounts.append((code, requests))
            }
        }

        /// The sum of two loops' series.
        func merged(with other: Self) -> Self {
            var sum = self
            for (code, requests) in other.statusCounts { sum.count(code, requests) }
            sum.requestSize.merge(other.requestSize)
            sum.responseSize.merge(other.responseSize)
            sum.duration.merge(other.duration)
            sum.inProgress += other.inProgress
            return sum
        }
    }

    private struct Shard {
        /// In the order first seen; `indexBySlot` finds them.
        var series: [Series] = []
        /// By `slot(route:method:)`, the index in `series`, or -1: an array index per request instead of hashing
        /// the template and method.
        var indexBySlot: [Int] = []
        var durationsHighResolution = Histogram(bounds: HTTPMetrics.highResolutionBounds)
        var rejected: [Int: UInt64] = [:]
        var connectionsOpen = 0

        /// Where the series at `slot` is in `series`, made on first use for `handler` (nil: unmatched) and `method`.
        mutating func index(_ slot: Int, handler: String?, method: Method) -> Int {
            if slot < indexBySlot.count, indexBySlot[slot] >= 0 { return indexBySlot[slot] }
            return add(slot, handler: handler, method: method)
        }

        private mutating func add(_ slot: Int, handler: String?, method: Method) -> Int {
            if slot >= indexBySlot.count { indexBySlot += repeatElement(-1, count: slot - indexBySlot.count + 1) }
            indexBySlot[slot] = series.count
            series.append(Series(key: HandlerMethod(handler: handler ?? HTTPMetrics.unmatchedHandler, method: method.name)))
            return series.count - 1
        }
    }

    /// Every loop's shard added up, by (handler, method), for a scrape.
    private struct Totals {
        var series: [HandlerMethod: Series] = [:]
        var durationsHighResolution = Histogram(bounds: HTTPMetrics.highResolutionBounds)
        var rejected: [Int: UInt64] = [:]
        var connectionsOpen = 0
    }

    /// prometheus-fastapi-instrumentator's `latency_lowr_buckets`.
    static let lowResolutionBounds: [Double] = [0.1, 0.5, 1]
    /// prometheus-fastapi-instrumentator's `latency_highr_buckets`.
    static let highResolutionBounds: [Double] = [0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 7.5, 10, 30, 60]
    /// The handler label of requests that matched no route (the instrumentator's `should_group_untemplated`).
    static let unmatchedHandler = "none"

    private let shards: PerLoop<Mutex<Shard>>
    private let groupStatus: Bool

    /// Metrics for `loops` loops; `groupStatus` labels statuses `2xx`, `4xx`... instead of exact codes.
    public init(loops: Int, groupStatus: Bool) {
        shards = PerLoop(count: loops) { _ in Mutex(Shard()) }
        self.groupStatus = groupStatus
    }

    // MARK: - Recording (loop threads)

    /// Records a finished request, and ends the in-progress count that `handle` started for it.
    public func requestFinished(_ record: RequestRecord, loop: Int) {
        shards[loop].withLock { shard in
            if record.isRejected {
                shard.rejected[record.status, default: 0] += 1
                return
            }
            guard let method = record.parsedMethod else { return }   // a routed request always has one
            let seconds = Double(record.durationNanoseconds) / 1e9
            let index = shard.index(Self.slot(route: record.routeNumber, method: method), handler: record.route, method: method)
            shard.series[index].record(record, seconds: seconds)
            shard.durationsHighResolution.observe(seconds)
        }
    }

    public func connectionChanged(opened: Bool, loop: Int) {
        shards[loop].withLock { $0.connectionsOpen += opened ? 1 : -1 }
    }

    public func batchFinished(loop: Int) {}

    /// Counts the request in `http_requests_inprogress`; `requestFinished` (which every routed request reaches) ends it.
    public func handle(
        _ request: Request, _ context: inout RequestContext, next: (Request, inout RequestContext) throws -> Response
    ) throws -> Response {
        let slot = Self.slot(route: context.routeNumber, method: request.method), loop = context.loopIndex
        shards[loop].withLock { shard in
            let index = shard.index(slot, handler: context.route, method: request.method)
            shard.series[index].inProgress += 1
        }
        return try next(request, &context)
    }

    /// Where a (route, method) pair's series sits in a shard: unmatched requests first, one slot per method.
    private static func slot(route: Int?, method: Method) -> Int {
        ((route ?? -1) + 1) * methodCount + Int(method.rawValue)
    }

    /// `Method.allCases.count`, kept: `allCases` builds its array at each call.
    private static let methodCount = Method.allCases.count

    // MARK: - Scraping (any thread)

    /// Merges the shards and writes every family.
    public func write(to writer: inout ExpositionWriter) {
        let merged = mergedShards()
        let series = merged.series.sorted { ($0.key.handler, $0.key.method) < ($1.key.handler, $1.key.method) }
        writer.family("http_requests_total", .counter, help: "Total number of requests by method, status and handler.")
        for (key, value) in series {
            for (status, count) in statusLabels(value.statusCounts) {
                writer.sample("http_requests_total", [("handler", key.handler), ("method", key.method), ("status", status)], Double(count))
            }
        }
        let byHandler = Dictionary(grouping: series, by: \.key.handler).sorted { $0.key < $1.key }
        writeSummaries("http_request_size_bytes", byHandler.map { ($0.key, $0.value.map(\.value.requestSize)) }, to: &writer,
                       help: "Content length of incoming requests by handler. Only value of header is respected. Otherwise ignored. No percentile calculated. ")
        writeSummaries("http_response_size_bytes", byHandler.map { ($0.key, $0.value.map(\.value.responseSize)) }, to: &writer,
                       help: "Content length of outgoing responses by handler. Only value of header is respected. Otherwise ignored. No percentile calculated. ")
        writer.family("http_request_duration_highr_seconds", .histogram,
                      help: "Latency with many buckets but no API specific labels. Made for more accurate percentile calculations. ")
        writer.histogram("http_request_duration_highr_seconds", [], merged.durationsHighResolution)
        writer.family("http_request_duration_seconds", .histogram,
                      help: "Latency with only few buckets by handler. Made to be only used if aggregation by handler is important. ")
        for (key, value) in series where value.duration.count > 0 {
            writer.histogram("http_request_duration_seconds", [("handler", key.handler), ("method", key.method)], value.duration)
        }
        writer.family("http_requests_inprogress", .gauge, help: "Number of HTTP requests in progress.")
        for (key, value) in series {
            writer.sample("http_requests_inprogress", [("handler", key.handler), ("method", key.method)], Double(value.inProgress))
        }
        writer.family("api_connections_open", .gauge, help: "Client connections open.")
        writer.sample("api_connections_open", [], Double(merged.connectionsOpen))
        writer.family("api_requests_rejected_total", .counter,
                      help: "Requests refused before routing (malformed, over a limit, timed out), by status.")
        for (status, count) in merged.rejected.sorted(by: { $0.key < $1.key }) {
            writer.sample("api_requests_rejected_total", [("status", String(status))], Double(count))
        }
    }

    /// The status label values with their counts: classes (`2xx`) when grouping, else exact codes.
    private func statusLabels(_ counts: [(code: Int, count: UInt64)]) -> [(String, UInt64)] {
        let keyed = Dictionary(counts.map { (groupStatus ? $0.code / 100 : $0.code, $0.count) }, uniquingKeysWith: +)
        return keyed.sorted { $0.key < $1.key }.map { (groupStatus ? "\($0.key)xx" : String($0.key), $0.value) }
    }

    private func writeSummaries(_ name: String, _ values: [(String, [SummaryValue])], to writer: inout ExpositionWriter, help: String) {
        writer.family(name, .summary, help: help)
        for (handler, summaries) in values {
            var total = SummaryValue()
            for summary in summaries { total.merge(summary) }
            writer.summary(name, [("handler", handler)], total)
        }
    }

    private func mergedShards() -> Totals {
        var total = Totals()
        for loop in 0..<shards.count {
            let shard = shards[loop].withLock { $0 }
            for series in shard.series {
                total.series[series.key] = total.series[series.key].map { $0.merged(with: series) } ?? series
            }
            total.durationsHighResolution.merge(shard.durationsHighResolution)
            total.rejected.merge(shard.rejected, uniquingKeysWith: +)
            total.connectionsOpen += shard.connectionsOpen
        }
        return total
    }
}
