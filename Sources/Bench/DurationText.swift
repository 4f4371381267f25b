/// Reads durations as people type them on a command line: `10s`, `500ms`, `1.5m`, `1h`, or a bare number of seconds.
public enum DurationText {
    private static let units: [(suffix: String, nanoseconds: Double)] = [
        ("ms", 1e6), ("us", 1e3), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// The duration `text` denotes, in nanoseconds, or nil if it is not a positive duration.
    public static func nanoseconds(_ text: String) -> UInt64? {
        var number = Substring(text)
        var scale = 1e9
        for unit in units where text.hasSuffix(unit.suffix) {
            number = text.dropLast(unit.suffix.count)
            scale = unit.nanoseconds
            break
        }
        guard number.allSatisfy({ ("0"..."9").contains($0) || $0 == "." }), let value = Double(number),
              value > 0, value * scale < 1e18 else { return nil }
        return UInt64((value * scale).rounded())
    }

    /// `nanoseconds` as short text for reports: `10s`, `1.5s`, `250ms`.
    public static func describe(nanoseconds: UInt64) -> String {
        if nanoseconds >= 1_000_000_000 { return Formatting.trimmed(Double(nanoseconds) / 1e9, digits: 2) + "s" }
        return Formatting.trimmed(Double(nanoseconds) / 1e6, digits: 2) + "ms"
    }
}
