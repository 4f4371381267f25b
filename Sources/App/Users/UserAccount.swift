import Storage

/// The changes to a user that take the user's tokens with them, each inside the caller's write transaction, so
/// the API (`PATCH` and `DELETE /users/{id}`) and the admin commands (`api user update`, `set-password`, `delete`)
/// make them alike.
enum UserAccount {
    /// Saves `user`, with a new password hash if given; a new password ends the user's refresh tokens (revoked as
    /// of `revokingAt`). Returns the revocations made, or nil when the user no longer exists.
    static func save(_ user: UserRecord, passwordHash: String?, at now: String, revokingAt time: Int64,
                     in database: Database) throws -> [Revocation]? {
        guard try UserStore.update(user, passwordHash: passwordHash, at: now, in: database) else { return nil }
        return passwordHash == nil ? [] : try TokenStore.revokeRefreshTokens(of: user.id, at: time, in: database)
    }

    /// Revokes every token of user `id` as of `revokingAt` and deletes the user; nil when there was none.
    static func delete(_ id: Int64, revokingAt time: Int64, in database: Database) throws -> [Revocation]? {
        let revoked = try TokenStore.revokeUser(id, at: time, in: database)
        return try UserStore.delete(id: id, in: database) ? revoked : nil
    }
}
