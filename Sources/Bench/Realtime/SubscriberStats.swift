/// What one subscriber thread counted, handed in when the run ends and merged into the `RealtimeResult`.
struct SubscriberStats: Sendable {
    var opened = 0
    var failed = 0
    var dropped = 0
    /// Failed opens and drops, by reason (a few words each, so few distinct ones).
    var failures: [String: Int] = [:]
    var drops: [String: Int] = [:]
    /// What the thread's ledger found.
    var latency = LatencyHistogram()
    var delivered = 0
    var duplicates = 0
    var unmatched = 0
    var beforeAcknowledgement = 0
    var lastDeliveryAt: UInt64 = 0
}
