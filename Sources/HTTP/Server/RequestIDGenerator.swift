import Net

/// Request ids: the client's `X-Request-ID` when it is safe to echo, else 15 hex digits made here.
///
/// 15 characters keep the id an inline Swift small string (no allocation). The first 7 digits are a
/// per-loop random prefix, the last 8 a counter, so ids do not repeat across loops or restarts.
struct RequestIDGenerator {
    private let prefix: [UInt8]
    private var counter: UInt32 = 0

    init(loopIndex: Int) {
        var seed = MonotonicClock.nanoseconds() ^ UInt64(MonotonicClock.wallClock().nanoseconds) &* 0x9E37_79B9_7F4A_7C15
        seed ^= UInt64(loopIndex) &* 0xBF58_476D_1CE4_E5B9
        seed = (seed ^ (seed >> 31)) &* 0x94D0_49BB_1331_11EB
        prefix = Self.hex(UInt64(truncatingIfNeeded: seed), digits: 7)
    }

    /// The id for a request whose client sent `incoming` (or nil).
    mutating func id(incoming: String?) -> String {
        if let incoming, Self.isAcceptable(incoming) { return incoming }
        counter &+= 1
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 15) { buffer in
            for index in 0..<7 { buffer[index] = prefix[index] }
            var rest = counter
            for index in (7..<15).reversed() {
                buffer[index] = Self.hexDigit(UInt64(rest & 0xF))
                rest >>= 4
            }
            return String(decoding: buffer, as: UTF8.self)
        }
    }

    /// 1 to 64 visible ASCII characters: anything else could break log lines or headers.
    private static func isAcceptable(_ id: String) -> Bool {
        let bytes = id.utf8
        return (1...64).contains(bytes.count) && bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    private static func hex(_ value: UInt64, digits: Int) -> [UInt8] {
        (0..<digits).reversed().map { hexDigit((value >> (UInt64($0) * 4)) & 0xF) }
    }

    private static func hexDigit(_ nibble: UInt64) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + UInt8(nibble) : UInt8(ascii: "a") + UInt8(nibble - 10)
    }
}
