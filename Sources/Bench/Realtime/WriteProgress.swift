/// The writer's totals so far, as `RealtimeControl` keeps them.
struct WriteProgress: Sendable {
    var sent = 0
    var acknowledged = 0
    var failed = 0
    /// When the last write was answered or failed after the duration, once it was.
    var finishedAt: UInt64?
}
