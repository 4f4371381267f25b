/// A look at a run in progress, taken about once a second for the live progress line.
public struct ProgressSample: Equatable, Sendable {
    /// Seconds since the run started.
    public var elapsedSeconds: Double
    /// Requests finished so far (answered or failed).
    public var requests: Int
    /// Requests finished per second since the previous sample.
    public var requestsPerSecond: Double
    /// Errors so far.
    public var errors: Int

    /// One line for a terminal: `  3.0s  152345 req/s now  0 errors  457035 requests`.
    public var line: String {
        "  \(Formatting.fixed(elapsedSeconds, digits: 1))s  \(Formatting.fixed(requestsPerSecond, digits: 0)) req/s now  "
            + "\(errors) errors  \(requests) requests"
    }
}
