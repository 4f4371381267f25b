import Crypto

/// One HS256 key and its optional key id (`kid`), with the HMAC key schedule done once.
public struct JWTKey: Sendable {
    /// The `kid` written into tokens signed with this key and matched when verifying.
    public let id: String?
    let hmac: HMAC

    /// A key from `secret`, which must be at least 32 bytes (RFC 7518 §3.2: a key of the hash's
    /// output size or larger).
    /// - Throws: `JWTError.keyTooShort`.
    public init(id: String? = nil, secret: some Collection<UInt8>) throws(JWTError) {
        guard secret.count >= 32 else { throw .keyTooShort(byteCount: secret.count) }
        self.id = id
        hmac = HMAC(key: secret)
    }
}
