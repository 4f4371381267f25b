import Crypto

/// Random identifiers for tokens (`jti`) and token families: 128 bits in base64url, 22 characters.
public enum TokenID {
    /// A new identifier, unique with overwhelming probability.
    public static func make() -> String {
        Base64URL.encode(SecureRandom.bytes(count: 16))
    }
}
