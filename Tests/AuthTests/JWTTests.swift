import Auth
import Crypto
import Testing

/// Signing, claims, key rotation and the policy checks beyond the vector file.
struct JWTTests {
    static let now: Int64 = 1_700_000_000
    static let secret = [UInt8](repeating: 7, count: 32)

    static func jwt(_ keys: JWTKeySet? = nil, issuer: String? = nil, audience: String? = nil, leeway: Int64 = 0,
                    now: Int64 = now) throws -> JWT {
        JWT(keys: try keys ?? JWTKeySet(signingKey: JWTKey(secret: secret)), issuer: issuer, audience: audience,
            leeway: leeway, clock: { now })
    }

    @Test func signedTokenVerifiesWithEveryClaim() throws {
        let claims = JWTClaims(subject: "42", issuer: "api", audience: ["web"], expiresAt: Self.now + 1800,
                               notBefore: Self.now, issuedAt: Self.now, id: "j-1", scope: "read write")
        let jwt = try Self.jwt(issuer: "api", audience: "web")
        let verified = try jwt.verify(jwt.sign(claims))
        #expect(verified == claims)
        #expect(verified.scopes == ["read", "write"])
    }

    @Test func headerIsHS256WithKid() throws {
        let jwt = try Self.jwt(JWTKeySet(signingKey: JWTKey(id: "2025-01", secret: Self.secret)))
        let token = jwt.sign(JWTClaims(expiresAt: Self.now + 60))
        let header = try #require(Base64URL.decode(token.prefix { $0 != "." }))
        #expect(String(decoding: header, as: UTF8.self) == #"{"alg":"HS256","typ":"JWT","kid":"2025-01"}"#)
    }

    @Test func multipleAudiencesRoundTrip() throws {
        let jwt = try Self.jwt(audience: "b")
        let claims = JWTClaims(audience: ["a", "b"], expiresAt: Self.now + 60)
        #expect(try jwt.verify(jwt.sign(claims)).audience == ["a", "b"])
    }

    @Test func rotatedKeyStillVerifiesUntilRemoved() throws {
        let old = try JWTKey(id: "old", secret: Self.secret)
        let new = try JWTKey(id: "new", secret: [UInt8](repeating: 9, count: 32))
        let token = try Self.jwt(JWTKeySet(signingKey: old)).sign(JWTClaims(expiresAt: Self.now + 60))
        #expect(throws: Never.self) { try Self.jwt(JWTKeySet(signingKey: new, retiredKeys: [old])).verify(token) }
        #expect(throws: JWTError.unknownKey("old")) { try Self.jwt(JWTKeySet(signingKey: new)).verify(token) }
    }

    @Test func tokenWithoutKidNeedsKeyWithoutId() throws {
        let token = try Self.jwt().sign(JWTClaims(expiresAt: Self.now + 60))
        let keys = JWTKeySet(signingKey: try JWTKey(id: "k", secret: Self.secret))
        #expect(throws: JWTError.unknownKey(nil)) { try Self.jwt(keys).verify(token) }
    }

    @Test(arguments: [0, 16, 31])
    func keysShorterThan32BytesAreRefused(count: Int) {
        #expect(throws: JWTError.keyTooShort(byteCount: count)) { try JWTKey(secret: [UInt8](repeating: 1, count: count)) }
    }

    @Test func leewayExtendsExpiryAndNotBefore() throws {
        let token = try Self.jwt().sign(JWTClaims(expiresAt: Self.now - 5, notBefore: Self.now - 100))
        #expect(throws: JWTError.expired) { try Self.jwt().verify(token) }
        #expect(throws: Never.self) { try Self.jwt(leeway: 10).verify(token) }
        let early = try Self.jwt().sign(JWTClaims(expiresAt: Self.now + 100, notBefore: Self.now + 5))
        #expect(throws: JWTError.notYetValid) { try Self.jwt().verify(early) }
        #expect(throws: Never.self) { try Self.jwt(leeway: 10).verify(early) }
    }

    @Test func issuerAndAudienceAreEnforced() throws {
        let token = try Self.jwt().sign(JWTClaims(issuer: "other", audience: ["mobile"], expiresAt: Self.now + 60))
        #expect(throws: JWTError.wrongIssuer) { try Self.jwt(issuer: "api", audience: "mobile").verify(token) }
        #expect(throws: JWTError.wrongAudience) { try Self.jwt(audience: "web").verify(token) }
        // RFC 7519 §4.1.3: a verifier that is not named in a present aud must reject.
        #expect(throws: JWTError.wrongAudience) { try Self.jwt().verify(token) }
    }

    @Test func overlongTokenIsRefusedBeforeDecoding() throws {
        let token = String(repeating: "a", count: JWT.maximumTokenByteCount + 1)
        #expect(throws: JWTError.malformed("longer than 8192 bytes")) { try Self.jwt().verify(token) }
    }

    @Test func substringTokenVerifies() throws {
        let jwt = try Self.jwt()
        let header = "Bearer " + jwt.sign(JWTClaims(subject: "s", expiresAt: Self.now + 1))
        #expect(try jwt.verify(header.dropFirst(7)).subject == "s")
    }

    @Test func errorsDescribeTheFailure() {
        #expect(JWTError.unsupportedAlgorithm("none").description == #"unsupported alg "none""#)
        #expect(JWTError.expired.description == "expired")
    }
}
