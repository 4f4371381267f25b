/// The registered claims this API issues and reads (RFC 7519 §4.1) plus `scope` (RFC 8693 §4.2).
/// Times are NumericDate: seconds since the Unix epoch. Other claims in a token are ignored.
public struct JWTClaims: Equatable, Sendable {
    /// `sub`: whom the token is about (the user id).
    public var subject: String?
    /// `iss`: who issued it.
    public var issuer: String?
    /// `aud`: the intended recipients; written as a string when there is one.
    public var audience: [String]
    /// `exp`: the token is invalid from this second on.
    public var expiresAt: Int64?
    /// `nbf`: the token is invalid before this second.
    public var notBefore: Int64?
    /// `iat`: when it was issued.
    public var issuedAt: Int64?
    /// `jti`: unique id, used for revocation.
    public var id: String?
    /// `scope`: space-separated scopes.
    public var scope: String?

    /// Claims with the given values; all optional.
    public init(subject: String? = nil, issuer: String? = nil, audience: [String] = [], expiresAt: Int64? = nil,
                notBefore: Int64? = nil, issuedAt: Int64? = nil, id: String? = nil, scope: String? = nil) {
        self.subject = subject
        self.issuer = issuer
        self.audience = audience
        self.expiresAt = expiresAt
        self.notBefore = notBefore
        self.issuedAt = issuedAt
        self.id = id
        self.scope = scope
    }

    /// The scopes of `scope`, split on spaces.
    public var scopes: [String] {
        scope?.split(separator: " ").map(String.init) ?? []
    }
}
