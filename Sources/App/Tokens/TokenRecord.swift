/// A row of `tokens`: an issued access token (a JWT, by its `jti`) or refresh token (by its digest).
struct TokenRecord: Sendable, Equatable {
    /// What the token is.
    enum Kind: String, Sendable {
        case access, refresh
    }

    let id: String
    let userID: Int64
    let kind: Kind
    /// The login it belongs to: every refresh token of one chain and the access tokens they issued.
    let family: String
    /// SHA-256 of a refresh token; nil for access tokens.
    let secretDigest: [UInt8]?
    let scope: String
    let issuedAt: Int64
    let expiresAt: Int64
    var usedAt: Int64? = nil
    var revokedAt: Int64? = nil
}
