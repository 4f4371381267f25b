import Crypto
import JSON

/// One HS256 key and its optional key id (`kid`), with the HMAC key schedule done once.
public struct JWTKey: Sendable {
    /// The `kid` written into tokens signed with this key and matched when verifying.
    public let id: String?
    let hmac: HMAC
    /// The base64url header `sign` writes with this key: `{"alg":"HS256","typ":"JWT","kid":...}`.
    let encodedHeader: String
    /// `hmac` with `encodedHeader` and its dot absorbed: the MAC of a token with this header is this HMAC's
    /// code of the rest. With the 11-character key ids the server makes, header and dot are exactly one
    /// SHA-256 block, so a verify compresses four blocks instead of five.
    let headerHMAC: HMAC

    /// A key from `secret`, which must be at least 32 bytes (RFC 7518 §3.2: a key of the hash's
    /// output size or larger).
    /// - Throws: `JWTError.keyTooShort`.
    public init(id: String? = nil, secret: some Collection<UInt8>) throws(JWTError) {
        guard secret.count >= 32 else { throw .keyTooShort(byteCount: secret.count) }
        self.id = id
        hmac = HMAC(key: secret)
        var header = JSONWriter(capacity: 64)
        header.beginObject()
        header.key("alg")
        header.writeString("HS256")
        header.key("typ")
        header.writeString("JWT")
        if let id {
            header.key("kid")
            header.writeString(id)
        }
        header.endObject()
        encodedHeader = Base64URL.encode(header.bytes)
        headerHMAC = hmac.prefixed(with: Array((encodedHeader + ".").utf8))
    }
}
