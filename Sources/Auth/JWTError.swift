/// Why a token was refused, for logs. Clients are only ever told "Could not validate credentials"
/// (DESIGN §3), so these may be specific.
public enum JWTError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not a compact JWS with a JSON header and claims: the reason says which part failed.
    case malformed(String)
    /// `alg` is missing (`nil`) or is not exactly "HS256" (RFC 8725 §3.1: the verifier pins it).
    case unsupportedAlgorithm(String?)
    /// The header has `crit`; no extension is understood, so RFC 7515 §4.1.11 requires refusal.
    case criticalHeader
    /// `kid` names no key of the key set (`nil`: no `kid` and no key without an id).
    case unknownKey(String?)
    /// The MAC does not match (wrong key, tampering, or a truncated MAC).
    case badSignature
    /// There is no `exp`; access tokens must expire (project policy).
    case missingExpiration
    /// `exp` is at or before now (minus leeway), RFC 7519 §4.1.4.
    case expired
    /// `nbf` is after now (plus leeway), RFC 7519 §4.1.5.
    case notYetValid
    /// `iss` is not the configured issuer, RFC 7519 §4.1.1.
    case wrongIssuer
    /// `aud` does not contain the configured audience, or is present when none is configured
    /// (RFC 7519 §4.1.3: a principal not named in `aud` MUST reject).
    case wrongAudience
    /// A key shorter than the 32 bytes RFC 7518 §3.2 requires for HS256.
    case keyTooShort(byteCount: Int)

    /// One line naming the failure.
    public var description: String {
        switch self {
        case .malformed(let reason): "malformed token: \(reason)"
        case .unsupportedAlgorithm(let alg): "unsupported alg \(alg.map { "\"\($0)\"" } ?? "(missing)")"
        case .criticalHeader: "crit header present"
        case .unknownKey(let kid): "unknown key id \(kid.map { "\"\($0)\"" } ?? "(none)")"
        case .badSignature: "bad signature"
        case .missingExpiration: "no exp claim"
        case .expired: "expired"
        case .notYetValid: "not yet valid (nbf)"
        case .wrongIssuer: "wrong issuer"
        case .wrongAudience: "wrong audience"
        case .keyTooShort(let count): "HS256 key of \(count) bytes; at least 32 required"
        }
    }
}
