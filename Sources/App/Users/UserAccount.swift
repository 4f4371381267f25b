/// The changes to a user that take the user's tokens with them, each inside the caller's write transaction, so
/// the API (`PATCH` and `DELETE /users/{id}`) and the admin commands (`api user update`, `set-password`, `delete`)
/// make them alike.
enum UserAccount {
    /// Saves `user`, with a new password hash if given; a new password ends the user's refresh tokens (revoked as
    /// of `revokingAt`). Returns the revocations made, or nil when the user no longer exists.
    static func save(_ user: UserRecord, passwordHash: String?, at now: String, revokingAt time: Int64,
                     in transaction: any Transaction) throws -> [Revocation]? {
        guard try transaction.users.update(user, passwordHash: passwordHash, at: now) else { return nil }
        return passwordHash == nil ? [] : try transaction.tokens.revokeRefreshTokens(of: user.id, at: time)
    }

    /// Revokes every token of user `id` as of `revokingAt` and deletes the user; nil when there was none.
    static func delete(_ id: Int64, revokingAt time: Int64, in transaction: any Transaction) throws -> [Revocation]? {
        let revoked = try transaction.tokens.revokeUser(id, at: time)
        return try transaction.users.delete(id: id) ? revoked : nil
    }
}
