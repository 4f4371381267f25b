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

    /// The key whose own header (as `JWT.sign` writes it) is exactly `segment`, if any.
    func key(forCanonicalHeader segment: UnsafeRawBufferPointer) -> JWTKey? {
        for key in keys {
            var header = key.encodedHeader
            let matches = header.withUTF8 { $0.elementsEqual(segment) }
            if matches { return key }
        }
        return nil
    }
}
