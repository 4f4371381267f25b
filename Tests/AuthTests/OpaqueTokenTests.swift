import Crypto
import Testing
@testable import Auth

/// Refresh tokens, token ids and signing secrets: random, of the promised size, and stored only as digests.
@Suite struct OpaqueTokenTests {
    @Test func aRefreshTokenIsStoredOnlyAsTheSHA256OfItsText() {
        let token = OpaqueToken.generate()
        #expect(token.text.count == 43, "32 random bytes in unpadded base64url")
        #expect(token.digest == SHA256.hash(Array(token.text.utf8)))
        #expect(OpaqueToken.digest(of: token.text) == token.digest)
        #expect(OpaqueToken.generate() != token)
    }

    @Test func tokenIDsAre128RandomBits() {
        let ids = Set((0..<1000).map { _ in TokenID.make() })
        #expect(ids.count == 1000)
        #expect(ids.allSatisfy { $0.count == 22 && Base64URL.decode($0)?.count == 16 })
    }

    /// The key id depends only on the secret, so every process with the same secret names the same key.
    @Test func theKeyIDIsDerivedFromTheSecret() {
        let secret = Array("0123456789abcdef0123456789abcdef".utf8)
        #expect(SigningSecret.keyID(for: secret) == SigningSecret.keyID(for: secret))
        #expect(SigningSecret.keyID(for: secret) == Base64URL.encode(SHA256.hash(secret).prefix(8)))
        #expect(SigningSecret.keyID(for: secret) != SigningSecret.keyID(for: secret.dropLast() + [0x30]))
        #expect(SigningSecret.generate().utf8.count >= SigningSecret.minimumByteCount)
    }
}
