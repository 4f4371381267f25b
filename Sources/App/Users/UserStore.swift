/// The users, in one transaction (or one loop's read).
protocol UserStore {
    /// The user with `id`, or nil.
    func user(id: Int64) throws -> UserRecord?
    /// The user with `email` (in any case) and their password hash, or nil.
    func credentials(email: String) throws -> (user: UserRecord, passwordHash: String)?
    /// Up to `limit` users with ids above `afterID`, by id.
    func page(after afterID: Int64, limit: Int) throws -> [UserRecord]

    /// Inserts a user; throws `UserStoreRefusal.emailTaken` when the email is in use.
    func insert(name: String, email: String, passwordHash: String, isAdmin: Bool, at now: String) throws -> UserRecord
    /// Saves `user`'s name, email and admin flag (and a new hash if given); throws `UserStoreRefusal.emailTaken`.
    /// Returns `false` when the user no longer exists.
    func update(_ user: UserRecord, passwordHash: String?, at now: String) throws -> Bool
    /// Replaces the password hash (a re-hash with new parameters at login).
    func setPasswordHash(_ hash: String, of id: Int64) throws
    /// Deletes the user (their tokens go with them); `false` if there was none.
    func delete(id: Int64) throws -> Bool
}

/// Why a write to the users was refused.
enum UserStoreRefusal: Error, Equatable {
    /// Another account has this email (in any case).
    case emailTaken
}
