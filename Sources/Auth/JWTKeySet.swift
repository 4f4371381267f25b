import Crypto

/// The keys a server signs and verifies with, so keys can rotate: new tokens are signed with
/// `signingKey`; tokens carrying the `kid` of any key in the set still verify until it is removed.
public struct JWTKeySet: Sendable {
    /// The key that signs new tokens.
    public let signingKey: JWTKey
    /// Every key accepted for verification, `signingKey` first.
    public let keys: [JWTKey]

    /// A set that signs with `signingKey` and also accepts `retiredKeys`.
    public init(signingKey: JWTKey, retiredKeys: [JWTKey] = []) {
        self.signingKey = signingKey
        keys = [signingKey] + retiredKeys
    }

    /// The key for a token's `kid`: the key with that id, or for a token without `kid`, the first
    /// key without an id.
    func key(for kid: String?) -> JWTKey? {
        keys.first { $0.id == kid }
    }

    /// The MAC key of the key whose own header (as `JWT.sign` writes it) is exactly `segment`, if
    /// any. It returns the `HMAC` rather than the `JWTKey` because copying a key out of the array
    /// (its strings retained and released) was a visible share of `JWT.verify`.
    func hmac(forCanonicalHeader segment: UnsafeRawBufferPointer) -> HMAC? {
        let index = keys.firstIndex { key in
            key.encodedHeader.utf8.withContiguousStorageIfAvailable { UnsafeRawBufferPointer($0).hasSameBytes(as: segment) }
                ?? false  // never taken: `encodedHeader` is a native string, so its UTF-8 is contiguous
        }
        return index.map { keys[$0].hmac }
    }
}
