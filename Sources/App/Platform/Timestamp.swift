import Glibc
import Net

/// RFC 3339 UTC timestamps with milliseconds (`2026-11-25T04:30:00.123Z`), the `ts` of every log line.
struct Timestamp {
    private var second = -1
    private var prefix: [UInt8] = []    // "2026-11-25T04:30:00." for `second`: always 20 bytes

    /// The length of every timestamp written.
    static let byteCount = 24

    /// Writes the current time at `output` (``byteCount`` bytes); the date part is formatted once per second.
    mutating func write(to output: UnsafeMutablePointer<UInt8>) -> Int {
        let now = MonotonicClock.wallClock()
        return write(seconds: now.seconds, milliseconds: now.nanoseconds / 1_000_000, to: output)
    }

    /// Writes the time `seconds` + `milliseconds` after the epoch at `output` (``byteCount`` bytes).
    mutating func write(seconds: Int, milliseconds: Int, to output: UnsafeMutablePointer<UInt8>) -> Int {
        if seconds != second { formatPrefix(seconds) }
        output.update(from: prefix, count: prefix.count)
        output[20] = UInt8(ascii: "0") + UInt8(milliseconds / 100)
        output[21] = UInt8(ascii: "0") + UInt8(milliseconds / 10 % 10)
        output[22] = UInt8(ascii: "0") + UInt8(milliseconds % 10)
        output[23] = UInt8(ascii: "Z")
        return Self.byteCount
    }

    /// `milliseconds` since the Unix epoch as a string.
    static func format(milliseconds: Int64) -> String {
        var stamp = Timestamp()
        return String(unsafeUninitializedCapacity: byteCount) { buffer in
            stamp.write(seconds: Int(milliseconds / 1000), milliseconds: Int(milliseconds % 1000), to: buffer.baseAddress!)
        }
    }

    private mutating func formatPrefix(_ seconds: Int) {
        second = seconds
        var clock = seconds
        var parts = tm()
        gmtime_r(&clock, &parts)
        let fields = [Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec)]
        let separators: [UInt8] = Array("--T::.".utf8)
        prefix = []
        for (index, value) in fields.enumerated() {
            let digits = index == 0 ? 4 : 2
            var divisor = index == 0 ? 1000 : 10
            for _ in 0..<digits {
                prefix.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
            prefix.append(separators[index])
        }
    }
}
