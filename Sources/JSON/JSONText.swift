/// The byte-level pieces of writing JSON text, shared by `JSONWriter` (which appends to an array) and
/// `JSONLineBuffer` (which writes through a pointer): string escaping (RFC 8259 §7) and decimal digits.
/// Each writes at a pointer the caller has made room at, and returns how many bytes it wrote.
enum JSONText {
    /// The most bytes one byte of a string becomes once escaped: `\u00XX`.
    static let maximumEscapeExpansion = 6
    /// The most bytes `writeFixedPoint` writes: 20 digits of `UInt.max`, a point, 18 fraction digits.
    static let maximumFixedPointByteCount = 39

    /// The index of the first byte at or after `start` that must be escaped, or `utf8.count`.
    static func firstByteNeedingEscape(in utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = UnsafeRawPointer(utf8.baseAddress) {
            while index + 8 <= utf8.count, !base.loadUnaligned(fromByteOffset: index, as: UInt64.self).hasByteNeedingEscape {
                index += 8
            }
        }
        while index < utf8.count, utf8[index] >= 0x20, utf8[index] != .quote, utf8[index] != .backslash {
            index += 1
        }
        return index
    }

    /// Writes the escape of `byte`: the two-character forms RFC 8259 §7 offers, and `\u00XX` for other
    /// control characters.
    static func writeEscape(for byte: UInt8, to output: UnsafeMutablePointer<UInt8>) -> Int {
        let short: UInt8? = switch byte {
        case .quote, .backslash: byte
        case 0x08: UInt8(ascii: "b")
        case 0x0C: UInt8(ascii: "f")
        case .lineFeed: UInt8(ascii: "n")
        case .carriageReturn: UInt8(ascii: "r")
        case .tab: UInt8(ascii: "t")
        default: nil
        }
        output[0] = .backslash
        if let short {
            output[1] = short
            return 2
        }
        let hexDigits: StaticString = "0123456789abcdef"
        output[1] = UInt8(ascii: "u")
        output[2] = .zero
        output[3] = .zero
        hexDigits.withUTF8Buffer { hex in
            output[4] = hex[Int(byte >> 4)]
            output[5] = hex[Int(byte & 0xF)]
        }
        return 6
    }

    /// Writes `units / 10^fractionDigits` (`fractionDigits` from 0 to 18, so that the scale fits) with exactly
    /// `fractionDigits` digits after the point, no sign; with no fraction digits, just the integer.
    static func writeFixedPoint(_ units: UInt, fractionDigits: Int, to output: UnsafeMutablePointer<UInt8>) -> Int {
        precondition((0...18).contains(fractionDigits), "fixed point takes 0 to 18 fraction digits")
        var scale: UInt = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        var written = writeDecimal(UInt64(units / scale), to: output)
        guard fractionDigits > 0 else { return written }
        output[written] = .period
        written += 1
        var fraction = units % scale, divisor = scale / 10
        while divisor > 0 {
            output[written] = .zero + UInt8(fraction / divisor)
            written += 1
            fraction %= divisor
            divisor /= 10
        }
        return written
    }

    /// Writes `value` in decimal: at most 20 digits.
    static func writeDecimal(_ value: UInt64, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var digits = 1, rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        var remaining = value
        for index in stride(from: digits - 1, through: 0, by: -1) {
            output[index] = .zero + UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        }
        return digits
    }
}
