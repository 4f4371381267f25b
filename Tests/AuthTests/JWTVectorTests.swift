@testable import Auth
import Testing

/// One of the constructed cases of jwt_hs256.json.
struct JWTCase: Sendable, CustomTestStringConvertible {
    let id: String
    let token: String
    let now: Int64
    let accepted: Bool
    var testDescription: String { id }

    static let all: [JWTCase] = try! VectorFile("jwt_hs256.json").objects(["constructed", "cases"]).map {  // missing file: fail loudly
        JWTCase(id: $0["id"] as! String, token: $0["token"] as! String, now: Int64($0["now"] as! Int),
                accepted: $0["expect"] as! String == "accept")
    }
    static let key = try! Hex.decode(try VectorFile("jwt_hs256.json").string(["constructed", "key_hex"]))

    /// The vectors' policy: HS256 only, leeway 0, the case's own clock.
    var verifier: JWT {
        let now = now
        return JWT(keys: JWTKeySet(signingKey: try! JWTKey(secret: Self.key)), leeway: 0, clock: { now })  // 34-byte key
    }
}

/// The RFC 7515/7519/8725 cases of jwt_hs256.json: each accept case verifies, and each of the 34
/// reject cases is refused, by the check that its `why` names.
struct JWTVectorTests {
    /// Which check must refuse each reject case.
    static let expectedFailure: [String: String] = [
        "alg_none_empty_sig": "alg", "alg_none_with_sig": "alg", "alg_None_mixed_case": "alg",
        "alg_hs256_lowercase": "alg", "alg_HS512_valid_hs512_mac": "alg", "alg_RS256_with_hmac": "alg",
        "alg_missing": "alg", "duplicate_alg_header": "malformed", "crit_unknown": "crit",
        "signature_stripped": "signature", "signature_truncated_16_bytes": "signature",
        "signature_last_symbol_changed": "signature", "wrong_key": "signature", "tampered_payload": "signature",
        // The MAC covers the encoded bytes, so a damaged payload segment fails there first.
        "bad_char_in_payload": "signature", "bad_length_payload": "signature", "whitespace_in_token": "signature",
        "tampered_header_kid": "key",
        "two_segments": "malformed", "four_segments": "malformed", "five_segments_jwe_shape": "malformed",
        "empty_token": "malformed", "signature_padded": "malformed", "signature_std_alphabet": "malformed",
        "bad_char_in_signature": "malformed", "header_not_object": "malformed", "header_not_json": "malformed",
        "payload_not_json": "malformed", "exp_is_string": "malformed", "duplicate_claim_names": "malformed",
        "expired": "expired", "exp_equals_now": "expired", "nbf_in_future": "notYetValid",
        "exp_missing_policy": "missingExpiration",
    ]

    static func kind(_ error: JWTError) -> String {
        switch error {
        case .malformed: "malformed"
        case .unsupportedAlgorithm: "alg"
        case .criticalHeader: "crit"
        case .unknownKey: "key"
        case .badSignature: "signature"
        case .missingExpiration: "missingExpiration"
        case .expired: "expired"
        case .notYetValid: "notYetValid"
        case .wrongIssuer: "wrongIssuer"
        case .wrongAudience: "wrongAudience"
        case .keyTooShort: "keyTooShort"
        }
    }

    @Test func fileHas34RejectCases() {
        #expect(JWTCase.all.filter { !$0.accepted }.count == 34)
        #expect(Set(JWTCase.all.filter { !$0.accepted }.map(\.id)) == Set(Self.expectedFailure.keys))
    }

    @Test(arguments: JWTCase.all.filter(\.accepted))
    func accepts(vector: JWTCase) throws {
        let claims = try vector.verifier.verify(vector.token)
        #expect(claims.subject == "user-1")
    }

    @Test(arguments: JWTCase.all.filter { !$0.accepted })
    func rejects(vector: JWTCase) {
        do {
            let claims = try vector.verifier.verify(vector.token)
            Issue.record("accepted with claims \(claims)")
        } catch {
            #expect(Self.kind(error) == Self.expectedFailure[vector.id], "\(error)")
        }
    }

    /// RFC 7515 A.1 and RFC 7519 §3.1: the published token verifies with the published key one
    /// second before its `exp`, and is expired by the real clock.
    @Test(arguments: try! VectorFile("jwt_hs256.json").objects(["official"]).map {
        OfficialToken(id: $0["id"] as! String, key: try Hex.decode($0["key_hex"] as! String), compact: $0["compact"] as! String)
    })
    func rfcExampleVerifies(token: OfficialToken) throws {
        let keys = JWTKeySet(signingKey: try JWTKey(secret: token.key))
        let claims = try JWT(keys: keys, leeway: 0, clock: { 1_300_819_379 }).verify(token.compact)
        #expect(claims.issuer == "joe")
        #expect(claims.expiresAt == 1_300_819_380)
        #expect(throws: JWTError.expired) { try JWT(keys: keys).verify(token.compact) }
    }
}

/// A published example token.
struct OfficialToken: Sendable, CustomTestStringConvertible {
    let id: String
    let key: [UInt8]
    let compact: String
    var testDescription: String { id }
}
