import JSON

/// Number formatting for reports without Foundation's formatters (not linked into the binary).
enum Formatting {
    /// `value` with exactly `digits` decimals (`3.14`), rounded half away from zero.
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return String(value) }
        let whole = UInt64(scaled)
        let integer = whole / UInt64(scale)
        var text = (value < 0 && whole != 0 ? "-" : "") + String(integer)
        if digits > 0 {
            let fraction = String(whole % UInt64(scale))
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }

    /// Like `fixed`, without trailing zeros or a trailing point (`1.5`, `10`).
    static func trimmed(_ value: Double, digits: Int) -> String {
        var text = fixed(value, digits: digits)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A latency given in microseconds, in the unit wrk would pick: `412us`, `1.52ms`, `2.03s`.
    static func latency(microseconds: Double) -> String {
        if microseconds < 1000 { return fixed(microseconds, digits: 0) + "us" }
        if microseconds < 1_000_000 { return fixed(microseconds / 1000, digits: 2) + "ms" }
        return fixed(microseconds / 1_000_000, digits: 2) + "s"
    }

    /// A byte count in binary units: `512B`, `1.50KB`, `21.53MB`, `1.02GB` (wrk's spelling).
    static func bytes(_ count: Double) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = count
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? fixed(value, digits: 0) + "B" : fixed(value, digits: 2) + units[unit]
    }

    /// `value` rounded to `digits` decimals, for JSON: microsecond means need no more than hundredths, and short
    /// numbers read better.
    static func rounded(_ value: Double, digits: Int) -> Double {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return (value * scale).rounded() / scale
    }

    /// Counts by status code as a JSON object (`{"200":10,"404":1}`), ascending.
    static func writeStatuses(_ counts: [(status: Int, count: Int)], into writer: inout JSONWriter) {
        writer.beginObject()
        for entry in counts {
            writer.key(String(entry.status)); writer.writeInteger(entry.count)
        }
        writer.endObject()
    }

    /// Counts by status code as text: `200: 10, 404: 1`, or `none`.
    static func statuses(_ counts: [(status: Int, count: Int)]) -> String {
        counts.isEmpty ? "none" : counts.map { "\($0.status): \($0.count)" }.joined(separator: ", ")
    }
}
