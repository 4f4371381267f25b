/// Tests on eight bytes at once, so the long plain runs that make up most strings are skipped a word
/// at a time. The tests are the classic "has a zero byte" and "has a byte less than n" tricks: each
/// leaves the high bit set in some byte exactly when the word has a matching byte (false positives
/// can only sit above a true one), and the masks are combined without branches.
extension UInt64 {
    private static let lowBits: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether a JSON string would need any of these bytes escaped: a control character, a quote or a
    /// backslash (RFC 8259 §7).
    var hasByteNeedingEscape: Bool {
        escapeMask != 0
    }

    /// Whether any byte needs escaping or is 0x80 and above, i.e. part of a multi-byte UTF-8 sequence.
    var hasByteNeedingEscapeOrNonASCII: Bool {
        (escapeMask | self) & Self.highBits != 0
    }

    private var escapeMask: UInt64 {
        (bytesLess(than: 0x20) | bytesEqual(to: .quote) | bytesEqual(to: .backslash)) & Self.highBits
    }

    /// High bit set in some byte iff a byte is below `limit`, which must be at most 0x80.
    private func bytesLess(than limit: UInt8) -> UInt64 {
        (self &- Self.lowBits &* UInt64(limit)) & ~self
    }

    private func bytesEqual(to byte: UInt8) -> UInt64 {
        (self ^ Self.lowBits &* UInt64(byte)).bytesLess(than: 1)
    }
}
