/// What the writer counted, handed in when its writes are done and merged into the `RealtimeResult`.
struct WriteStats: Sendable {
    /// Writes due within the duration.
    var scheduled = 0
    var sent = 0
    /// Writes answered 2xx with the id of the record they created.
    var acknowledged = 0
    /// Writes answered otherwise, or not answered (`errors`).
    var failed = 0
    /// Responses by status code, whatever the code.
    var statusCounts: [Int: Int] = [:]
    var errors = ErrorCounts()
    /// When the first write was due, and when the last was answered or failed (`MonotonicClock.nanoseconds()`).
    var startedAt: UInt64 = 0
    var finishedAt: UInt64 = 0

    /// The running totals the writer publishes.
    var progress: WriteProgress {
        WriteProgress(sent: sent, acknowledged: acknowledged, failed: failed, finishedAt: finishedAt == 0 ? nil : finishedAt)
    }
}
