import Storage

/// The SQL of `tokens` and `revocations`. Revoking marks the rows and appends their ids to `revocations`,
/// which every server polls, so a token revoked by another process (`api token revoke`) stops working too.
enum TokenStore {
    private static let columns = "jti, user_id, kind, family, secret_digest, scope, issued_at, expires_at, used_at, revoked_at"

    private static func record(_ row: Row) -> TokenRecord {
        TokenRecord(id: row.string(0), userID: row.int64(1), kind: TokenRecord.Kind(rawValue: row.string(2)) ?? .access,
                    family: row.string(3), secretDigest: row.isNull(4) ? nil : row.blob(4), scope: row.string(5),
                    issuedAt: row.int64(6), expiresAt: row.int64(7), usedAt: row.optionalInt64(8), revokedAt: row.optionalInt64(9))
    }

    // MARK: - Reads

    /// The refresh token whose digest is `digest`, or nil.
    static func refreshToken(digest: [UInt8], in database: Database) throws -> TokenRecord? {
        try database.queryOne("SELECT \(columns) FROM tokens WHERE secret_digest = ? AND kind = 'refresh'", digest, read: record)
    }

    /// The token with id `id`, or nil.
    static func token(id: String, in database: Database) throws -> TokenRecord? {
        try database.queryOne("SELECT \(columns) FROM tokens WHERE jti = ?", id, read: record)
    }

    /// The tokens of `userID` (or everyone's, for nil) that have not expired, newest first.
    static func liveTokens(of userID: Int64?, at now: Int64, in database: Database) throws -> [TokenRecord] {
        try database.query("SELECT \(columns) FROM tokens WHERE (?1 IS NULL OR user_id = ?1) AND expires_at > ?2 ORDER BY issued_at DESC, jti",
                           userID, now, read: record)
    }

    /// Revocations recorded after `sequence` that have not expired, with the last sequence number read.
    static func revocations(after sequence: Int64, at now: Int64, in database: Database) throws -> (entries: [Revocation], last: Int64) {
        var last = sequence
        let entries = try database.query("SELECT sequence, jti, expires_at FROM revocations WHERE sequence > ? ORDER BY sequence", sequence) { row in
            last = row.int64(0)
            return Revocation(tokenID: row.string(1), expiresAt: row.int64(2))
        }
        return (entries.filter { $0.expiresAt > now }, last)
    }

    // MARK: - Writes (in a transaction)

    /// Records an issued token.
    static func insert(_ token: TokenRecord, in database: Database) throws {
        try database.execute("""
            INSERT INTO tokens (jti, user_id, kind, family, secret_digest, scope, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, token.id, token.userID, token.kind.rawValue, token.family, token.secretDigest, token.scope, token.issuedAt, token.expiresAt)
    }

    /// Marks a refresh token exchanged; `false` if it was already used or revoked (a race lost to another use).
    static func markUsed(_ id: String, at now: Int64, in database: Database) throws -> Bool {
        try database.execute("UPDATE tokens SET used_at = ? WHERE jti = ? AND used_at IS NULL AND revoked_at IS NULL", now, id)
        return database.changedRowCount == 1
    }

    /// Revokes every live token of `family`.
    static func revokeFamily(_ family: String, at now: Int64, in database: Database) throws -> [Revocation] {
        try revoke(where: "family = ?2", family, at: now, in: database)
    }

    /// Revokes every live token of `userID`.
    static func revokeUser(_ userID: Int64, at now: Int64, in database: Database) throws -> [Revocation] {
        try revoke(where: "user_id = ?2", userID, at: now, in: database)
    }

    /// Revokes the refresh-token chains of `userID` (after a password change), leaving access tokens to expire.
    static func revokeRefreshTokens(of userID: Int64, at now: Int64, in database: Database) throws -> [Revocation] {
        try revoke(where: "user_id = ?2 AND kind = 'refresh'", userID, at: now, in: database)
    }

    /// Revokes one token; a refresh token takes its whole family with it (RFC 7009 §2.1: the access
    /// tokens of the same grant should go too). Returns nothing when the id is unknown.
    static func revokeToken(_ id: String, at now: Int64, in database: Database) throws -> [Revocation] {
        guard let token = try token(id: id, in: database) else { return [] }
        if token.kind == .refresh { return try revokeFamily(token.family, at: now, in: database) }
        return try revoke(where: "jti = ?2", id, at: now, in: database)
    }

    /// Revokes the live tokens matching `condition` (a constant of this file, with `?2` for `argument`).
    private static func revoke(where condition: String, _ argument: any SQLBindable, at now: Int64,
                               in database: Database) throws -> [Revocation] {
        let revoked = try database.query("""
            UPDATE tokens SET revoked_at = ?1 WHERE \(condition) AND revoked_at IS NULL AND expires_at > ?1
            RETURNING jti, expires_at
            """, now, argument) { row in Revocation(tokenID: row.string(0), expiresAt: row.int64(1)) }
        for revocation in revoked {
            try database.execute("INSERT INTO revocations (jti, expires_at) VALUES (?, ?)", revocation.tokenID, revocation.expiresAt)
        }
        return revoked
    }
}
