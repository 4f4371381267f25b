import Glibc

/// The `Date` field value (IMF-fixdate, RFC 9110 §5.6.7), formatted once per second per loop.
struct DateCache {
    private(set) var bytes: [UInt8] = []
    private var second = -1

    private static let days: [StaticString] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months: [StaticString] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The current value, reformatted only when the wall-clock second has changed.
    mutating func current() -> [UInt8] {
        let now = time(nil)
        if now != second { format(now) }
        return bytes
    }

    private mutating func format(_ now: Int) {
        second = now
        var clock = now
        var parts = tm()
        gmtime_r(&clock, &parts)
        var text: [UInt8] = []
        text.reserveCapacity(29)
        text.appendLiteral(Self.days[Int(parts.tm_wday)])
        text.appendLiteral(", ")
        appendTwoDigits(Int(parts.tm_mday), to: &text)
        text.append(ASCII.space)
        text.appendLiteral(Self.months[Int(parts.tm_mon)])
        text.append(ASCII.space)
        text.appendDecimal(Int(parts.tm_year) + 1900)
        text.append(ASCII.space)
        appendTwoDigits(Int(parts.tm_hour), to: &text)
        text.append(ASCII.colon)
        appendTwoDigits(Int(parts.tm_min), to: &text)
        text.append(ASCII.colon)
        appendTwoDigits(Int(parts.tm_sec), to: &text)
        text.appendLiteral(" GMT")
        bytes = text
    }

    private func appendTwoDigits(_ value: Int, to text: inout [UInt8]) {
        text.append(UInt8(ascii: "0") + UInt8(value / 10))
        text.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
