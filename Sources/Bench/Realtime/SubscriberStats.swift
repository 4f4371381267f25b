/// What one subscriber thread counted, handed in when the run ends and merged into the `RealtimeResult`.
struct SubscriberStats: Sendable {
    var opened = 0
    var failed = 0
    var dropped = 0
    /// Failed opens and drops, by reason (a few words each, so few distinct ones).
    var failures: [String: Int] = [:]
    var drops: [String: Int] = [:]
    /// When the last of the thread's subscribers finished opening (`MonotonicClock.nanoseconds()`).
    var allOpenedAt: UInt64 = 0
    /// What the thread's ledger found.
    var latency = LatencyHistogram()
    var delivered = 0
    var duplicates = 0
    var unmatched = 0
    var beforeAcknowledgement = 0
    var lastDeliveryAt: UInt64 = 0
}

/// A thread's subscribers so far, as `RealtimeControl` sums them.
struct SubscriberProgress: Sendable {
    var opened = 0
    var failed = 0
    var dropped = 0
    /// First deliveries to subscribers still open.
    var delivered = 0

    static func + (left: SubscriberProgress, right: SubscriberProgress) -> SubscriberProgress {
        SubscriberProgress(opened: left.opened + right.opened, failed: left.failed + right.failed, dropped: left.dropped + right.dropped,
                           delivered: left.delivered + right.delivered)
    }
}
