import Postgres

/// The SQL of `tokens` and `revocations` on PostgreSQL. Revoking marks the rows and appends their ids to `revocations`,
/// whose sequence every instance reads past the last one it saw.
struct PostgresTokenStore: TokenStore {
    let session: PostgresSession

    private static let columns = "jti, user_id, kind, family, secret_digest, scope, issued_at, expires_at, used_at, revoked_at"

    private static func record(_ row: PostgresRow) -> TokenRecord {
        TokenRecord(id: row.string(0), userID: row.int64(1), kind: TokenRecord.Kind(rawValue: row.string(2)) ?? .access,
                    family: row.string(3), secretDigest: row.isNull(4) ? nil : row.bytes(4), scope: row.string(5),
                    issuedAt: row.int64(6), expiresAt: row.int64(7), usedAt: row.optionalInt64(8), revokedAt: row.optionalInt64(9))
    }

    func refreshToken(digest: [UInt8]) throws -> TokenRecord? {
        try session.row("SELECT \(Self.columns) FROM tokens WHERE secret_digest = $1 AND kind = 'refresh'", [digest], read: Self.record)
    }

    func token(id: String) throws -> TokenRecord? {
        try session.row("SELECT \(Self.columns) FROM tokens WHERE jti = $1", [id], read: Self.record)
    }

    func liveTokens(of userID: Int64?, at now: Int64) throws -> [TokenRecord] {
        try session.rows("SELECT \(Self.columns) FROM tokens WHERE ($1::bigint IS NULL OR user_id = $1) AND expires_at > $2 ORDER BY issued_at DESC, jti",
                         [userID, now], read: Self.record)
    }

    func revocations(after sequence: Int64, at now: Int64) throws -> (entries: [Revocation], last: Int64) {
        let rows = try session.rows("SELECT sequence, jti, expires_at FROM revocations WHERE sequence > $1 ORDER BY sequence", [sequence]) { row in
            (sequence: row.int64(0), revocation: Revocation(tokenID: row.string(1), expiresAt: row.int64(2)))
        }
        return (rows.map(\.revocation).filter { $0.expiresAt > now }, rows.last?.sequence ?? sequence)
    }

    func insert(_ token: TokenRecord) throws {
        _ = try session.run("""
            INSERT INTO tokens (jti, user_id, kind, family, secret_digest, scope, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, [token.id, token.userID, token.kind.rawValue, token.family, token.secretDigest, token.scope, token.issuedAt, token.expiresAt])
    }

    func markUsed(_ id: String, at now: Int64) throws -> Bool {
        try session.run("UPDATE tokens SET used_at = $1 WHERE jti = $2 AND used_at IS NULL AND revoked_at IS NULL", [now, id]).affectedRows == 1
    }

    func revokeFamily(_ family: String, at now: Int64) throws -> [Revocation] {
        try revoke(where: "family = $2", family, at: now)
    }

    func revokeUser(_ userID: Int64, at now: Int64) throws -> [Revocation] {
        try revoke(where: "user_id = $2", userID, at: now)
    }

    func revokeRefreshTokens(of userID: Int64, at now: Int64) throws -> [Revocation] {
        try revoke(where: "user_id = $2 AND kind = 'refresh'", userID, at: now)
    }

    func revokeToken(_ id: String, at now: Int64) throws -> [Revocation] {
        guard let token = try token(id: id) else { return [] }
        if token.kind == .refresh { return try revokeFamily(token.family, at: now) }
        return try revoke(where: "jti = $2", id, at: now)
    }

    /// Revokes the live tokens matching `condition` (a constant of this file, with `$2` for `argument`), and appends
    /// them to `revocations` in the same statement.
    private func revoke(where condition: String, _ argument: any PostgresEncodable, at now: Int64) throws -> [Revocation] {
        try session.rows("""
            WITH revoked AS (
                UPDATE tokens SET revoked_at = $1 WHERE \(condition) AND revoked_at IS NULL AND expires_at > $1 RETURNING jti, expires_at
            ), logged AS (
                INSERT INTO revocations (jti, expires_at) SELECT jti, expires_at FROM revoked
            )
            SELECT jti, expires_at FROM revoked
            """, [now, argument]) { row in Revocation(tokenID: row.string(0), expiresAt: row.int64(1)) }
    }
}
