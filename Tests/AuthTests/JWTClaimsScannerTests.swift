@testable import Auth
import JSON
import Testing

/// The fast claims scanner against the strict parser it stands in for: it may decline anything,
/// but whatever it accepts must be accepted by `JSONParser` with the very same claims.
struct JWTClaimsScannerTests {
    /// What `JSONParser` plus `JWTClaims(_:)` make of `json`, or `nil` where `verify` would refuse it.
    static func parsed(_ json: String) -> JWTClaims? {
        guard case .object(let object)? = try? JSONParser.parse(json, options: .init(maxDepth: 8, rejectDuplicateKeys: true)) else {
            return nil
        }
        return try? JWTClaims(object)
    }

    static func scanned(_ json: String) -> JWTClaims? {
        Array(json.utf8).withUnsafeBytes { JWTClaimsScanner.claims($0) }
    }

    /// Every payload `sign` writes takes the fast path.
    @Test func readsWhatSignWrites() {
        let claims = [
            JWTClaims(subject: "12345", issuer: "api", audience: ["web"], expiresAt: 1_700_001_800, notBefore: -5,
                      issuedAt: 1_700_000_000, id: "3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f", scope: "users:read users:write"),
            JWTClaims(audience: ["a", "b", "c"], expiresAt: 0),
            JWTClaims(),
        ]
        for claim in claims {
            #expect(claim.serialized().withUnsafeBytes { JWTClaimsScanner.claims($0) } == claim)
        }
    }

    /// Shapes it reads itself, each with the parser's result. The last two names share their length
    /// and first eight bytes, so telling them apart takes the byte comparison.
    @Test(arguments: [
        #"{}"#, #" {"exp":1} "#, "{\t\"exp\"\r\n:\n-0 , \"sub\" : \"\" }", #"{"aud":[]}"#, #"{"aud":[ "x" , "y" ]}"#,
        #"{"x":"long name values are skipped","y":[],"exp":999999999999999999}"#,
        #"{"a-much-longer-member-name1":1,"a-much-longer-member-name2":2}"#,
    ])
    func readsSimpleShapes(json: String) {
        #expect(Self.scanned(json) != nil)
        #expect(Self.scanned(json) == Self.parsed(json))
    }

    /// Everything else goes to the parser: escapes, non-ASCII, fractions, literals, nesting, wrong
    /// types, duplicates (short and long names), and every syntax error.
    @Test(arguments: [
        #"{"sub":"a\"b"}"#, #"{"sub":"é"}"#, #"{"é":1}"#, #"{"exp":1.5}"#, #"{"exp":1e3}"#, #"{"exp":01}"#,
        #"{"exp":1234567890123456789}"#, #"{"exp":-}"#, #"{"x":true}"#, #"{"x":null}"#, #"{"x":{}}"#, #"{"x":[1]}"#,
        #"{"sub":1}"#, #"{"exp":"1"}"#, #"{"aud":[1]}"#, #"{"aud":{}}"#,
        #"{"exp":1,"exp":1}"#, #"{"x":1,"x":2}"#, #"{"a-much-longer-member-name":1,"a-much-longer-member-name":2}"#,
        #"{"exp":1,}"#, #"{"exp":1"#, #"{"exp"1}"#, #"{"exp":1} x"#, #"[]"#, #""#, "{\"sub\":\"a\u{1}\"}", "\u{B}{}",
        #"{"aud":["a",]}"#, #"{"aud":["a"}"#,
    ])
    func declinesEverythingElse(json: String) {
        #expect(Self.scanned(json) == nil)
    }

    /// Declined payloads still verify through the parser, with the same claims.
    @Test func tokenWithEscapesAndNonASCIIVerifies() throws {
        let jwt = try JWTTests.jwt()
        let claims = JWTClaims(subject: "quote \" and é", expiresAt: JWTTests.now + 60, scope: "tab\there")
        #expect(try jwt.verify(jwt.sign(claims)) == claims)
    }

    /// More members than the scanner tracks still verify (through the parser).
    @Test func manyMembersFallBack() {
        let members = (0..<20).map { #""m\#($0)":\#($0)"# }.joined(separator: ",")
        let json = "{" + members + #","exp":5}"#
        #expect(Self.scanned(json) == nil)
        #expect(Self.parsed(json)?.expiresAt == 5)
    }
}
