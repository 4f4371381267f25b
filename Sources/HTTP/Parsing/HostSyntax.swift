/// The grammar of a `Host` field value, `uri-host [ ":" port ]` (RFC 9112 §3.2, RFC 3986 §3.2.2-§3.2.3): a
/// reg-name or IPv4 address, or an IP literal in brackets, then an optional port of digits. A value outside it is
/// answered 400, as RFC 9112 §3.2 requires.
enum HostSyntax {
    /// The bytes of a reg-name, `unreserved / sub-delims` and `%` (checked further as pct-encoded), as bits: bit
    /// `b` of `lowBytes` for byte `b` < 64, of `highBytes` for 64 + `b`. Literal constants, so a check is two
    /// instructions and no lazy global: it runs on every request.
    private static let lowBytes: UInt64 = 0x2BFF_7FF2_0000_0000     // ! $ % & ' ( ) * + , - . 0-9 ; =
    private static let highBytes: UInt64 = 0x47FF_FFFE_87FF_FFFE    // A-Z _ a-z ~

    @inline(__always)
    private static func isRegNameByte(_ byte: UInt8) -> Bool {
        byte < 64 ? lowBytes >> byte & 1 != 0 : byte < 128 && highBytes >> (byte - 64) & 1 != 0
    }

    /// Whether `value` is `uri-host [ ":" port ]`.
    static func isValid(_ value: UnsafeRawBufferPointer) -> Bool {
        guard let first = value.first else { return false }
        let hostEnd = first == UInt8(ascii: "[") ? ipLiteralEnd(value) : regNameEnd(value)
        guard let hostEnd else { return false }
        return hostEnd == value.count || isPort(UnsafeRawBufferPointer(rebasing: value[hostEnd...]))
    }

    /// Where the reg-name at the start of `value` ends (the end, or a `:`), or nil if a byte does not belong.
    private static func regNameEnd(_ value: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        while index < value.count && value[index] != ASCII.colon {
            guard isRegNameByte(value[index]) else { return nil }
            if value[index] == UInt8(ascii: "%") {        // pct-encoded = "%" HEXDIG HEXDIG
                guard index + 2 < value.count, ASCII.hexValue(value[index + 1]) != nil, ASCII.hexValue(value[index + 2]) != nil else { return nil }
                index += 2
            }
            index += 1
        }
        return index
    }

    /// Where the `[...]` at the start of `value` ends, just past `]`, or nil. Inside: an IPv6 address's bytes (hex
    /// digits, `:` and `.` for an embedded IPv4 address, at least one `:`), or IPvFuture `v` 1*HEXDIG "." 1*(...).
    private static func ipLiteralEnd(_ value: UnsafeRawBufferPointer) -> Int? {
        guard let close = value.firstIndex(of: UInt8(ascii: "]")), close > 1 else { return nil }
        let inside = UnsafeRawBufferPointer(rebasing: value[1..<close])
        let isValid = inside[0] | 0x20 == UInt8(ascii: "v") ? isIPvFuture(inside) : isIPv6(inside)
        return isValid ? close + 1 : nil
    }

    private static func isIPv6(_ inside: UnsafeRawBufferPointer) -> Bool {
        inside.contains(ASCII.colon)
            && inside.allSatisfy { ASCII.hexValue($0) != nil || $0 == ASCII.colon || $0 == UInt8(ascii: ".") }
    }

    private static func isIPvFuture(_ inside: UnsafeRawBufferPointer) -> Bool {
        guard let dot = inside.firstIndex(of: UInt8(ascii: ".")), dot > 1, dot + 1 < inside.count else { return false }
        return inside[1..<dot].allSatisfy { ASCII.hexValue($0) != nil }
            && inside[(dot + 1)...].allSatisfy { ($0 != UInt8(ascii: "%") && isRegNameByte($0)) || $0 == ASCII.colon }
    }

    /// `":" *DIGIT`.
    private static func isPort(_ rest: UnsafeRawBufferPointer) -> Bool {
        rest.first == ASCII.colon && rest.dropFirst().allSatisfy { ASCII.decimalDigit($0) != nil }
    }
}
