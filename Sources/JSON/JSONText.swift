/// The byte-level pieces of writing JSON text, shared by `JSONWriter` (which appends to an array) and
/// `JSONLineBuffer` (which writes through a pointer): string escaping (RFC 8259 §7) and decimal digits.
/// Each writes at a pointer the caller has made room at, and returns how many bytes it wrote.
@usableFromInline
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

    /// Writes `units / 10^fractionDigits` (`fractionDigits` from 0 to 18) with exactly `fractionDigits` digits
    /// after the point, no sign; with no fraction digits, just the integer.
    ///
    /// The digits of `units` are written as one number, at least `fractionDigits + 1` of them (`5` with three
    /// fraction digits is `0.005`), and the point put in: dividing by a constant ten compiles to a multiply, where
    /// splitting `units` at a scale of ten to the `fractionDigits` takes a hardware division per digit.
    @usableFromInline
    static func writeFixedPoint(_ units: UInt, fractionDigits: Int, to output: UnsafeMutablePointer<UInt8>) -> Int {
        precondition((0...18).contains(fractionDigits), "fixed point takes 0 to 18 fraction digits")
        let digits = max(digitCount(UInt64(units)), fractionDigits + 1)
        guard fractionDigits > 0 else { return writeDigits(UInt64(units), count: digits, to: output) }
        let whole = digits - fractionDigits
        var remaining = UInt64(units)
        for index in stride(from: digits, to: whole, by: -1) {   // the fraction, last digit first, after the point
            output[index] = .zero + UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        }
        output[whole] = .period
        _ = writeDigits(remaining, count: whole, to: output)
        return digits + 1
    }

    /// Writes `value` in decimal: at most 20 digits. Inlined, with the numbers of an access-log line (a status,
    /// byte counts) below a thousand written straight out; larger ones take the general loop.
    @inlinable
    static func writeDecimal(_ value: UInt64, to output: UnsafeMutablePointer<UInt8>) -> Int {
        let zero = UInt8(ascii: "0")
        switch value {
        case ..<10:
            output[0] = zero &+ UInt8(truncatingIfNeeded: value)
            return 1
        case ..<100:
            output[0] = zero &+ UInt8(truncatingIfNeeded: value / 10)
            output[1] = zero &+ UInt8(truncatingIfNeeded: value % 10)
            return 2
        case ..<1000:
            output[0] = zero &+ UInt8(truncatingIfNeeded: value / 100)
            output[1] = zero &+ UInt8(truncatingIfNeeded: value / 10 % 10)
            output[2] = zero &+ UInt8(truncatingIfNeeded: value % 10)
            return 3
        default:
            return writeLongDecimal(value, to: output)
        }
    }

    /// `writeDecimal` for a thousand and more, out of line.
    @usableFromInline
    static func writeLongDecimal(_ value: UInt64, to output: UnsafeMutablePointer<UInt8>) -> Int {
        writeDigits(value, count: digitCount(value), to: output)
    }

    /// How many decimal digits `value` has (1 for zero).
    private static func digitCount(_ value: UInt64) -> Int {
        var digits = 1, rest = value
        while rest >= 100 {
            rest /= 100
            digits += 2
        }
        return rest >= 10 ? digits + 1 : digits
    }

    /// Writes the last `count` decimal digits of `value` (leading zeros where it has fewer), last digit first.
    private static func writeDigits(_ value: UInt64, count: Int, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var remaining = value
        for index in stride(from: count - 1, through: 0, by: -1) {
            output[index] = .zero + UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        }
        return count
    }
}
