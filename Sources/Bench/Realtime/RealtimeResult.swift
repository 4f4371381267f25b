/// The merged counts of a finished realtime run, with what was asked for. docs/bench.md ("Realtime") defines each.
public struct RealtimeResult: Sendable {
    /// The configuration of the run.
    public let configuration: RealtimeConfiguration

    /// Subscribers that subscribed.
    public let opened: Int
    /// Subscribers that never subscribed.
    public let failed: Int
    /// Subscribers the server closed after they had subscribed.
    public let dropped: Int
    /// Failed opens by reason (`HTTP 401`, `subscribe refused: 404`, `timeout`...), most frequent first.
    public let failures: [(reason: String, count: Int)]
    /// Drops by reason (`overflow`, `close 4008`, `closed by the server`...), most frequent first.
    public let drops: [(reason: String, count: Int)]
    /// Seconds from the start of the run until every subscriber had opened or failed.
    public let openSeconds: Double

    /// Writes due within the duration.
    public let scheduled: Int
    /// Writes sent.
    public let sent: Int
    /// Writes answered 2xx with the id of the record they created.
    public let acknowledged: Int
    /// Writes answered otherwise, or not answered.
    public let failedWrites: Int
    /// Write responses by status code, ascending, whatever the code.
    public let writeStatusCounts: [(status: Int, count: Int)]
    /// Writes that got no response, by kind.
    public let writeErrors: ErrorCounts
    /// Seconds from the first write's due time until the last write was answered or failed.
    public let writeSeconds: Double

    /// Acknowledged writes times the subscribers still open: the events that should have arrived.
    public let expected: Int
    /// Distinct acknowledged writes' events received by subscribers still open.
    public let delivered: Int
    /// Events received again by a subscriber that already had them.
    public let duplicates: Int
    /// Created events whose record no acknowledged write of the run made.
    public let unmatched: Int
    /// Deliveries that arrived before their write's 201, counted as 0 µs.
    public let beforeAcknowledgement: Int
    /// From write acknowledged to event received, in microseconds, of every first delivery.
    public let latency: LatencyHistogram
    /// Seconds from the first write's due time to the last delivery (0 with none).
    public let deliverySeconds: Double

    init(configuration: RealtimeConfiguration, openSeconds: Double, subscribers: [SubscriberStats], writes: WriteStats) {
        self.configuration = configuration
        self.openSeconds = openSeconds
        opened = subscribers.reduce(0) { $0 + $1.opened }
        failed = subscribers.reduce(0) { $0 + $1.failed }
        dropped = subscribers.reduce(0) { $0 + $1.dropped }
        failures = Self.merged(subscribers.map(\.failures))
        drops = Self.merged(subscribers.map(\.drops))
        scheduled = writes.scheduled
        sent = writes.sent
        acknowledged = writes.acknowledged
        failedWrites = writes.failed
        writeStatusCounts = writes.statusCounts.sorted { $0.key < $1.key }.map { (status: $0.key, count: $0.value) }
        writeErrors = writes.errors
        writeSeconds = writes.finishedAt > writes.startedAt ? Double(writes.finishedAt - writes.startedAt) / 1e9 : 0
        expected = writes.acknowledged * (opened - dropped)
        delivered = subscribers.reduce(0) { $0 + $1.delivered }
        duplicates = subscribers.reduce(0) { $0 + $1.duplicates }
        unmatched = subscribers.reduce(0) { $0 + $1.unmatched }
        beforeAcknowledgement = subscribers.reduce(0) { $0 + $1.beforeAcknowledgement }
        var latency = LatencyHistogram()
        for stats in subscribers { latency.merge(stats.latency) }
        self.latency = latency
        let lastDelivery = subscribers.map(\.lastDeliveryAt).max() ?? 0
        deliverySeconds = lastDelivery > writes.startedAt ? Double(lastDelivery - writes.startedAt) / 1e9 : 0
    }

    /// Expected events that never arrived (within the grace period after the last write).
    public var lost: Int { max(0, expected - delivered) }

    /// Events delivered per second, over the time from the first write to the last delivery.
    public var eventsPerSecond: Double { deliverySeconds > 0 ? Double(delivered) / deliverySeconds : 0 }

    /// Subscribers asked for of each kind.
    public var requestedByKind: (sse: Int, websocket: Int) {
        let sse = (0..<configuration.subscribers).filter { configuration.kind(ofSubscriber: $0) == .sse }.count
        return (sse, configuration.subscribers - sse)
    }

    private static func merged(_ counts: [[String: Int]]) -> [(reason: String, count: Int)] {
        let total = counts.reduce(into: [String: Int]()) { total, each in total.merge(each, uniquingKeysWith: +) }
        return total.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { (reason: $0.key, count: $0.value) }
    }
}
