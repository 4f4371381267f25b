import Crypto
import Glibc
import JSON

/// Signs and verifies HS256 JWTs in the compact serialization (RFC 7519, RFC 7515 §7.1).
///
/// Verification follows RFC 7515 §5.2 and RFC 7519 §7.2 with the RFC 8725 hardening: `alg` must be
/// exactly "HS256" (never taken from the token to pick an algorithm), `crit` is refused, base64url
/// must be canonical and unpadded, duplicate JSON member names are refused, the full 32-byte MAC
/// is compared in constant time, and `exp` is required.
public struct JWT: Sendable {
    /// Tokens longer than this are refused before any decoding, bounding the work per request.
    public static let maximumTokenByteCount = 8192
    /// The wall clock in Unix seconds, the default clock.
    public static let systemClock: @Sendable () -> Int64 = { Int64(time(nil)) }

    /// The signing key and every key still accepted.
    public let keys: JWTKeySet
    /// When set, `iss` must equal it, and `sign` does not add it by itself.
    public let issuer: String?
    /// When set, `aud` must contain it; when `nil`, a token with `aud` is refused (RFC 7519 §4.1.3).
    public let audience: String?
    /// Seconds of clock skew tolerated on `exp` and `nbf`.
    public let leeway: Int64
    private let clock: @Sendable () -> Int64

    /// A signer and verifier; `clock` returns Unix seconds and is injected by tests.
    public init(keys: JWTKeySet, issuer: String? = nil, audience: String? = nil, leeway: Int64 = 30,
                clock: @escaping @Sendable () -> Int64 = JWT.systemClock) {
        precondition(leeway >= 0, "JWT leeway cannot be negative")
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.clock = clock
    }

    // MARK: - Signing

    /// The compact token for `claims`, signed with the signing key and carrying its `kid`.
    public func sign(_ claims: JWTClaims) -> String {
        let key = keys.signingKey
        let payload = Base64URL.encode(claims.serialized())
        return key.encodedHeader + "." + payload + "." + Base64URL.encode(key.headerHMAC.authenticationCode(for: payload.utf8))
    }

    // MARK: - Verifying

    /// The claims of `token` if it is authentic and valid now.
    /// - Throws: `JWTError` naming the first check that failed.
    public func verify(_ token: some StringProtocol) throws(JWTError) -> JWTClaims {
        var text = String(token)
        return try text.withUTF8 { utf8 in
            Result { () throws(JWTError) in try verify(UnsafeRawBufferPointer(utf8)) }
        }.get()
    }

    private func verify(_ token: UnsafeRawBufferPointer) throws(JWTError) -> JWTClaims {
        guard token.count <= Self.maximumTokenByteCount else { throw .malformed("longer than \(Self.maximumTokenByteCount) bytes") }
        let (header, payload, signature) = try Self.segments(token)
        // Our own tokens carry one of the keys' canonical headers, which are known to pass the
        // header checks; any other header is decoded and checked in full.
        let signingInput = UnsafeRawBufferPointer(rebasing: token[..<payload.endIndex])
        if let index = keys.index(forCanonicalHeader: UnsafeRawBufferPointer(rebasing: header)) {
            // The header (and its dot) are already in `headerHMAC`: only the payload is left to hash. The MAC key
            // is used where it lies: copying the 224-byte `HMAC` out was a memmove per verify.
            let afterHeader = UnsafeRawBufferPointer(rebasing: token[payload.startIndex..<payload.endIndex])
            try keys.keys.withUnsafeBufferPointer { keys in
                Result { () throws(JWTError) in try checkSignature(signature, of: afterHeader, with: keys[index].headerHMAC) }
            }.get()
        } else {
            let key = try Self.decoding(header, "header") { json throws(JWTError) in try self.key(for: try Self.object(json, "header")) }
            try checkSignature(signature, of: signingInput, with: key.hmac)
        }
        // The claims are parsed only once the MAC has proved who wrote them.
        let claims = try Self.decoding(payload, "claims", Self.claims)
        try validate(claims)
        return claims
    }

    /// RFC 7515 §7.1: exactly three segments separated by two dots (five would be a JWE).
    private static func segments(_ token: UnsafeRawBufferPointer) throws(JWTError)
        -> (Slice<UnsafeRawBufferPointer>, Slice<UnsafeRawBufferPointer>, Slice<UnsafeRawBufferPointer>) {
        guard let first = dot(in: token, from: 0) else { throw .malformed("1 segment(s), expected three") }
        guard let second = dot(in: token, from: first + 1) else { throw .malformed("2 segment(s), expected three") }
        guard dot(in: token, from: second + 1) == nil else { throw .malformed("more than three segments") }
        return (token[..<first], token[(first + 1)..<second], token[(second + 1)...])
    }

    /// The offset of the first `.` at or after `start`; memchr, because the signing input is a
    /// few hundred bytes and a byte loop was a tenth of the verify time.
    private static func dot(in token: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < token.count, let base = token.baseAddress else { return nil }
        guard let found = memchr(base + start, Int32(UInt8(ascii: ".")), token.count - start) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// Runs `body` on the strict base64url decoding of `segment`, held in a temporary buffer (on
    /// the stack for any token of ordinary size) rather than a new array.
    private static func decoding<Result>(
        _ segment: Slice<UnsafeRawBufferPointer>, _ name: String,
        _ body: (UnsafeRawBufferPointer) throws(JWTError) -> Result
    ) throws(JWTError) -> Result {
        let text = UnsafeRawBufferPointer(rebasing: segment)
        return try withUnsafeTemporaryAllocation(byteCount: text.count * 3 / 4, alignment: 8) { buffer throws(JWTError) in
            guard let count = Base64URL.decode(text, into: buffer) else { throw .malformed("\(name) is not canonical base64url") }
            return try body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// The claims in `json`: read by `JWTClaimsScanner` when it can, which covers every token
    /// `sign` writes; anything it declines gets the general parser, strict as ever.
    private static func claims(_ json: UnsafeRawBufferPointer) throws(JWTError) -> JWTClaims {
        if let claims = JWTClaimsScanner.claims(json) { return claims }
        return try JWTClaims(try object(json, "claims"))
    }

    /// `json` parsed as a JSON object without duplicate names.
    private static func object(_ json: UnsafeRawBufferPointer, _ name: String) throws(JWTError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser.parse(json, options: JSONParser.Options(maxDepth: 8, rejectDuplicateKeys: true))
        } catch {
            throw .malformed("\(name) is not JSON: \(error)")
        }
        guard case .object(let object) = value else { throw .malformed("\(name) is not a JSON object") }
        return object
    }

    /// RFC 7515 §5.2 steps 4-5 for the header, pinned to HS256 (RFC 8725 §3.1), then the key.
    private func key(for header: JSONObject) throws(JWTError) -> JWTKey {
        guard let alg = header["alg"] else { throw .unsupportedAlgorithm(nil) }
        guard alg == .string("HS256") else { throw .unsupportedAlgorithm(alg.stringValue ?? alg.typeName) }
        guard header["crit"] == nil else { throw .criticalHeader }
        var kid: String?
        if let value = header["kid"] {
            guard let id = value.stringValue else { throw .malformed("kid is not a string") }
            kid = id
        }
        guard let key = keys.key(for: kid) else { throw .unknownKey(kid) }
        return key
    }

    /// RFC 7515 §5.2 step 8 with RFC 7518 §3.2: the whole 32-byte MAC, compared in constant time.
    private func checkSignature(_ segment: Slice<UnsafeRawBufferPointer>, of signingInput: UnsafeRawBufferPointer,
                                with hmac: HMAC) throws(JWTError) {
        let valid = try Self.decoding(segment, "signature") { signature in
            withUnsafeTemporaryAllocation(byteCount: SHA256.byteCount, alignment: 8) { mac in
                hmac.authenticationCode(for: signingInput, into: mac.baseAddress!)  // 32 bytes
                return constantTimeEquals(UnsafeRawBufferPointer(mac), signature)
            }
        }
        guard valid else { throw .badSignature }
    }

    /// RFC 7519 §4.1.1-4.1.5 against the injected clock.
    private func validate(_ claims: JWTClaims) throws(JWTError) {
        let now = clock()
        guard let expiresAt = claims.expiresAt else { throw .missingExpiration }
        // §4.1.4: "the current date/time MUST be before the expiration date/time".
        guard now &- leeway < expiresAt else { throw .expired }
        if let notBefore = claims.notBefore, now &+ leeway < notBefore { throw .notYetValid }
        if let issuer, claims.issuer != issuer { throw .wrongIssuer }
        if let audience {
            guard claims.audience.contains(audience) else { throw .wrongAudience }
        } else if !claims.audience.isEmpty {
            throw .wrongAudience
        }
    }
}
