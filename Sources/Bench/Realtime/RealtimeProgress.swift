/// A look at a realtime run in progress, taken about once a second for the live progress line.
public struct RealtimeProgress: Equatable, Sendable {
    /// Seconds since the run started.
    public var elapsedSeconds: Double
    /// Subscribers subscribed so far.
    public var opened: Int
    /// Subscribers asked for.
    public var subscribers: Int
    /// Writes acknowledged so far.
    public var acknowledged: Int
    /// Events delivered so far to subscribers still open.
    public var delivered: Int
    /// Events delivered per second since the previous sample.
    public var eventsPerSecond: Double

    /// One line for a terminal: `  3.0s  1000/1000 subscribed  600 writes acknowledged  600000 events (200000/s now)`.
    public var line: String {
        "  \(Formatting.fixed(elapsedSeconds, digits: 1))s  \(opened)/\(subscribers) subscribed  \(acknowledged) writes acknowledged  "
            + "\(delivered) events (\(Formatting.fixed(eventsPerSecond, digits: 0))/s now)"
    }
}
