/// The merged measurements of a finished run, with what was asked for.
public struct BenchResult: Sendable {
    /// The configuration of the run.
    public let configuration: BenchConfiguration
    /// From the start of the run to the moment the last thread stopped, in seconds.
    public let durationSeconds: Double
    /// Latency of every answered request, in microseconds.
    public let latency: LatencyHistogram
    /// Responses by status code, ascending.
    public let statusCounts: [(status: Int, count: Int)]
    /// Failed requests by kind.
    public let errors: ErrorCounts
    /// Bytes read from the server: heads and bodies.
    public let bytesRead: Int
    /// Requests finished: answered or failed. Requests still out when the run ended are not counted.
    public let requests: Int

    init(configuration: BenchConfiguration, start: UInt64, workers: [WorkerStats]) {
        self.configuration = configuration
        var latency = LatencyHistogram()
        var statuses = [Int](repeating: 0, count: 1000)
        var errors = ErrorCounts()
        var bytes = 0, requests = 0
        var end = start
        for worker in workers {
            latency.merge(worker.histogram)
            for (code, count) in worker.statusCounts.enumerated() where count > 0 { statuses[code] += count }
            errors.add(worker.errors)
            bytes += worker.bytesRead
            requests += worker.requests
            end = max(end, worker.finishedAt)
        }
        self.latency = latency
        statusCounts = statuses.enumerated().filter { $0.element > 0 }.map { (status: $0.offset, count: $0.element) }
        self.errors = errors
        bytesRead = bytes
        self.requests = requests
        durationSeconds = Double(end - start) / 1e9
    }

    /// Requests answered, whatever their status.
    public var responses: Int { statusCounts.reduce(0) { $0 + $1.count } }

    /// Responses with a status of 400 or more: answered, but not successfully.
    public var errorResponses: Int { statusCounts.filter { $0.status >= 400 }.reduce(0) { $0 + $1.count } }

    /// Answered requests per second, as wrk counts them (errors are not included).
    public var requestsPerSecond: Double { durationSeconds > 0 ? Double(responses) / durationSeconds : 0 }

    /// Bytes read per second.
    public var bytesPerSecond: Double { durationSeconds > 0 ? Double(bytesRead) / durationSeconds : 0 }
}
