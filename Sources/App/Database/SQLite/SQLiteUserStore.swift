import Storage

/// The SQL of the `users` table, on whichever connection is given: a loop's reader for reads, the writer
/// (inside its transaction) for writes. Every statement is cached by its connection and bound, never built.
enum UserStore {
    /// Why a write was refused.
    enum Refusal: Error, Equatable {
        /// Another account has this email (in any case).
        case emailTaken
    }

    private static let columns = "id, name, email, is_admin, created_at"

    private static func record(_ row: Row) -> UserRecord {
        UserRecord(id: row.int64(0), name: row.string(1), email: row.string(2), isAdmin: row.bool(3), createdAt: row.string(4))
    }

    // MARK: - Reads

    /// The user with `id`, or nil.
    static func user(id: Int64, in database: Database) throws -> UserRecord? {
        try database.queryOne("SELECT \(columns) FROM users WHERE id = ?", id, read: record)
    }

    /// The user with `email` (in any case) and their password hash, or nil.
    static func credentials(email: String, in database: Database) throws -> (user: UserRecord, passwordHash: String)? {
        try database.queryOne("SELECT \(columns), password_hash FROM users WHERE email_key = ?", UserRecord.emailKey(email)) { row in
            (record(row), row.string(5))
        }
    }

    /// Up to `limit` users with ids above `afterID`, by id.
    static func page(after afterID: Int64, limit: Int, in database: Database) throws -> [UserRecord] {
        try database.query("SELECT \(columns) FROM users WHERE id > ? ORDER BY id LIMIT ?", afterID, limit, read: record)
    }

    // MARK: - Writes (in a transaction)

    /// Inserts a user; throws `Refusal.emailTaken` when the email is in use.
    static func insert(name: String, email: String, passwordHash: String, isAdmin: Bool, at now: String,
                       in database: Database) throws -> UserRecord {
        do {
            try database.execute("""
                INSERT INTO users (name, email, email_key, password_hash, is_admin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, name, email, UserRecord.emailKey(email), passwordHash, isAdmin, now, now)
        } catch where error.isUniqueViolation {
            throw Refusal.emailTaken
        }
        return UserRecord(id: database.lastInsertedRowID, name: name, email: email, isAdmin: isAdmin, createdAt: now)
    }

    /// Saves `user`'s name, email and admin flag (and a new hash if given); throws `Refusal.emailTaken`.
    /// Returns `false` when the user no longer exists.
    static func update(_ user: UserRecord, passwordHash: String?, at now: String, in database: Database) throws -> Bool {
        do {
            try database.execute("""
                UPDATE users SET name = ?, email = ?, email_key = ?, is_admin = ?, password_hash = coalesce(?, password_hash),
                updated_at = ? WHERE id = ?
                """, user.name, user.email, UserRecord.emailKey(user.email), user.isAdmin, passwordHash, now, user.id)
        } catch where error.isUniqueViolation {
            throw Refusal.emailTaken
        }
        return database.changedRowCount == 1
    }

    /// Replaces the password hash (a re-hash with new parameters at login).
    static func setPasswordHash(_ hash: String, of id: Int64, in database: Database) throws {
        try database.execute("UPDATE users SET password_hash = ? WHERE id = ?", hash, id)
    }

    /// Deletes the user (their tokens go with them, by the foreign key); `false` if there was none.
    static func delete(id: Int64, in database: Database) throws -> Bool {
        try database.execute("DELETE FROM users WHERE id = ?", id)
        return database.changedRowCount == 1
    }
}
