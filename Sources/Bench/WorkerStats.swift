/// What one thread measured; merged into a `BenchResult` when the run ends.
struct WorkerStats: Sendable {
    var histogram = LatencyHistogram()
    /// Responses by status code, indexed by the code (100...999, all the status line allows).
    var statusCounts = [Int](repeating: 0, count: 1000)
    var errors = ErrorCounts()
    var bytesRead = 0
    /// Requests finished: answered or failed.
    var requests = 0
    /// When the worker stopped (`MonotonicClock.nanoseconds()`).
    var finishedAt: UInt64 = 0

    /// Counts a complete response that took `nanoseconds`.
    @inline(__always)
    mutating func recordResponse(status: Int, nanoseconds: UInt64) {
        histogram.record(microseconds: (nanoseconds + 500) / 1000)
        statusCounts[status] += 1
        requests += 1
    }
}
