import Metrics
import Synchronization

/// The `api_realtime_*` metrics (DESIGN §11): counted as events go out, the streams and the log read at scrape time.
final class RealtimeMetrics: Sendable {
    private let sent = Atomic<Int>(0)
    private let overflows = Atomic<Int>(0)

    /// An event went into a stream's queue.
    func countSent() { sent.add(1, ordering: .relaxed) }
    /// A subscriber was closed for falling behind.
    func countOverflow() { overflows.add(1, ordering: .relaxed) }

    /// Writes the families: the `subscriptions` open now by kind and to `channels`, the change log's `bounds` (nil when it could not be read), and how
    /// many published changes the slowest loop has still to offer (`lag`).
    func write(to writer: inout ExpositionWriter, subscriptions: [StreamKind: Int], channels: Int, log bounds: (first: Int64, last: Int64)?,
               lag: Int64) {
        writer.family("api_realtime_subscriptions", .gauge, help: "Subscriptions open now: event streams, WebSocket subscriptions to resources, and to channels.")
        for kind in StreamKind.allCases { writer.sample("api_realtime_subscriptions", [("kind", kind.rawValue)], Double(subscriptions[kind] ?? 0)) }
        writer.sample("api_realtime_subscriptions", [("kind", "channel")], Double(channels))
        writer.family("api_realtime_events_sent_total", .counter, help: "Events queued to streams.")
        writer.sample("api_realtime_events_sent_total", [], Double(sent.load(ordering: .relaxed)))
        writer.family("api_realtime_overflows_total", .counter, help: "Subscribers closed because they fell more than realtime.max_queue_bytes behind.")
        writer.sample("api_realtime_overflows_total", [], Double(overflows.load(ordering: .relaxed)))
        if let bounds {
            writer.family("api_realtime_changelog_changes", .gauge, help: "Changes the change log holds.")
            writer.sample("api_realtime_changelog_changes", [], Double(max(0, bounds.last - bounds.first + 1)))
            writer.family("api_realtime_changelog_last_sequence", .gauge, help: "The sequence number of the newest change.")
            writer.sample("api_realtime_changelog_last_sequence", [], Double(bounds.last))
        }
        writer.family("api_realtime_fanout_lag_changes", .gauge, help: "Committed changes the slowest event loop has still to offer its subscribers.")
        writer.sample("api_realtime_fanout_lag_changes", [], Double(lag))
    }
}
