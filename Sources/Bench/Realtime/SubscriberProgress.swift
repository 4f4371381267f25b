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
