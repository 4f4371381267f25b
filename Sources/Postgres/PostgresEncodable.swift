/// A Swift value as a statement parameter in PostgreSQL's text format (nil is NULL); the statement's `$n` casts it
/// where the type is not clear from its place.
public protocol PostgresEncodable {
    /// The value's text, or nil for NULL.
    var postgresText: String? { get }
}

extension String: PostgresEncodable {
    public var postgresText: String? { self }
}

extension Int: PostgresEncodable {
    public var postgresText: String? { String(self) }
}

extension Int64: PostgresEncodable {
    public var postgresText: String? { String(self) }
}

extension Bool: PostgresEncodable {
    public var postgresText: String? { self ? "t" : "f" }
}

/// Bytes as a `bytea` in hex format.
extension Array: PostgresEncodable where Element == UInt8 {
    public var postgresText: String? {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        text.reserveCapacity(2 + count * 2)
        for byte in self { text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]] }
        return String(decoding: text, as: UTF8.self)
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? { self?.postgresText }
}
