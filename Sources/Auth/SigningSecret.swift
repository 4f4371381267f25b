import Crypto

/// The server's HS256 secret as it is kept in a file or an environment variable: text whose UTF-8 bytes
/// are the key, so operators can generate, copy and rotate it with ordinary tools.
public enum SigningSecret {
    /// The shortest secret accepted, in bytes (RFC 7518 §3.2: at least the hash's output size).
    public static let minimumByteCount = 32

    /// A new secret: 32 random bytes in base64url (43 characters).
    public static func generate() -> String {
        Base64URL.encode(SecureRandom.bytes(count: 32))
    }

    /// The key id for `secret`: the first 8 bytes of its SHA-256, in base64url. Derived, so every process
    /// that has the secret agrees on it and a rotated key is told apart without configuring ids.
    public static func keyID(for secret: some Collection<UInt8>) -> String {
        Base64URL.encode(SHA256.hash(secret).prefix(8))
    }
}
