/// Issued tokens and their revocations. Revoking marks the tokens and records them where every server polls
/// (`revocations(after:at:)`), so a token revoked by another process (`api token revoke`) stops working too.
protocol TokenStore {
    /// The refresh token whose digest is `digest`, or nil.
    func refreshToken(digest: [UInt8]) throws -> TokenRecord?
    /// The token with id `id`, or nil.
    func token(id: String) throws -> TokenRecord?
    /// The tokens of `userID` (or everyone's, for nil) that have not expired at `now`, newest first.
    func liveTokens(of userID: Int64?, at now: Int64) throws -> [TokenRecord]
    /// Revocations recorded after `sequence` that have not expired, with the last sequence number read.
    func revocations(after sequence: Int64, at now: Int64) throws -> (entries: [Revocation], last: Int64)

    /// Records an issued token.
    func insert(_ token: TokenRecord) throws
    /// Marks a refresh token exchanged; `false` if it was already used or revoked (a race lost to another use).
    func markUsed(_ id: String, at now: Int64) throws -> Bool
    /// Revokes every live token of `family`.
    func revokeFamily(_ family: String, at now: Int64) throws -> [Revocation]
    /// Revokes every live token of `userID`.
    func revokeUser(_ userID: Int64, at now: Int64) throws -> [Revocation]
    /// Revokes the refresh-token chains of `userID` (after a password change), leaving access tokens to expire.
    func revokeRefreshTokens(of userID: Int64, at now: Int64) throws -> [Revocation]
    /// Revokes one token; a refresh token takes its whole family with it (RFC 7009 §2.1: the access tokens of the
    /// same grant should go too). Returns nothing when the id is unknown.
    func revokeToken(_ id: String, at now: Int64) throws -> [Revocation]
}
