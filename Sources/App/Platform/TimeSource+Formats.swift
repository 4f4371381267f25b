public import Net

extension TimeSource {
    /// The wall time as an RFC 3339 UTC timestamp with milliseconds (`2026-11-25T04:30:00.123Z`).
    public func timestamp() -> String { Timestamp.format(milliseconds: wallMilliseconds()) }
}
