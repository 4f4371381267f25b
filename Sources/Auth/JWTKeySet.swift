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

    /// The index in `keys` of the key whose own header (as `JWT.sign` writes it) is exactly
    /// `segment`, if any. An index rather than the key or its `HMAC`: copying a key out of the
    /// array (its strings retained and released) or its 224-byte `HMAC` was a visible share of
    /// `JWT.verify`.
    func index(forCanonicalHeader segment: UnsafeRawBufferPointer) -> Int? {
        keys.firstIndex { key in
            key.encodedHeader.utf8.withContiguousStorageIfAvailable { UnsafeRawBufferPointer($0).hasSameBytes(as: segment) }
                ?? false  // never taken: `encodedHeader` is a native string, so its UTF-8 is contiguous
        }
    }
}
