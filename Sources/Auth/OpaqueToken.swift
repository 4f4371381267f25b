import Crypto

/// A random bearer secret that is not a JWT (refresh tokens), and the digest under which it is stored:
/// the server keeps only SHA-256 of it, so a copy of the database holds no usable token.
public struct OpaqueToken: Sendable, Equatable {
    /// Random bytes per token: 256 bits, beyond guessing.
    public static let randomByteCount = 32

    /// The token as the client holds it: base64url, 43 characters.
    public let text: String
    /// SHA-256 of `text`'s UTF-8, the only form that is stored.
    public let digest: [UInt8]

    /// A new random token.
    public static func generate() -> OpaqueToken {
        let text = Base64URL.encode(SecureRandom.bytes(count: randomByteCount))
        return OpaqueToken(text: text, digest: digest(of: text))
    }

    /// The stored digest of a token a client presents.
    public static func digest(of text: String) -> [UInt8] {
        SHA256.hash(text.utf8)
    }
}
