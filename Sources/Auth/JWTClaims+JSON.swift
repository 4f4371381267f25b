import JSON

// Claims to and from the JSON of a JWT payload. Types are checked strictly: a claim of the wrong
// JSON type makes the token malformed rather than being ignored (RFC 7519 §7.2 step 10).

extension JWTClaims {
    /// Reads the claims from a parsed payload.
    init(_ payload: JSONObject) throws(JWTError) {
        self.init()
        for member in payload.members {
            switch member.key {
            case "sub": subject = try Self.string(member)
            case "iss": issuer = try Self.string(member)
            case "jti": id = try Self.string(member)
            case "scope": scope = try Self.string(member)
            case "exp": expiresAt = try Self.numericDate(member)
            case "nbf": notBefore = try Self.numericDate(member)
            case "iat": issuedAt = try Self.numericDate(member)
            case "aud": audience = try Self.audience(member)
            default: continue
            }
        }
    }

    /// The payload JSON, members in a fixed order.
    func serialized() -> [UInt8] {
        var writer = JSONWriter(capacity: 192)
        writer.beginObject()
        for (key, value) in [("iss", issuer), ("sub", subject)] { write(key, value, to: &writer) }
        if audience.count == 1 {
            writer.key("aud")
            writer.writeString(audience[0])
        } else if !audience.isEmpty {
            writer.key("aud")
            writer.beginArray()
            for name in audience { writer.writeString(name) }
            writer.endArray()
        }
        for (key, value) in [("exp", expiresAt), ("nbf", notBefore), ("iat", issuedAt)] {
            guard let value else { continue }
            writer.key(key)
            writer.writeInteger(value)
        }
        for (key, value) in [("jti", id), ("scope", scope)] { write(key, value, to: &writer) }
        writer.endObject()
        return writer.bytes
    }

    private func write(_ key: String, _ value: String?, to writer: inout JSONWriter) {
        guard let value else { return }
        writer.key(key)
        writer.writeString(value)
    }

    private static func string(_ member: JSONMember) throws(JWTError) -> String {
        guard let value = member.value.stringValue else { throw .malformed("claim \(member.key) is not a string") }
        return value
    }

    /// RFC 7519 §2: NumericDate is a JSON number, possibly with a fraction (dropped here).
    private static func numericDate(_ member: JSONMember) throws(JWTError) -> Int64 {
        switch member.value {
        case .integer(let seconds): return seconds
        case .double(let seconds) where seconds.isFinite && abs(seconds) < 9.2e18: return Int64(seconds.rounded(.down))
        default: throw .malformed("claim \(member.key) is not a NumericDate")
        }
    }

    /// RFC 7519 §4.1.3: a string or an array of strings.
    private static func audience(_ member: JSONMember) throws(JWTError) -> [String] {
        if let single = member.value.stringValue { return [single] }
        guard let array = member.value.arrayValue else { throw .malformed("claim aud is not a string or array") }
        var names: [String] = []
        for element in array {
            guard let name = element.stringValue else { throw .malformed("claim aud holds a non-string") }
            names.append(name)
        }
        return names
    }
}
