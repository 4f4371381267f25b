import Storage

/// The SQL of the `users` table, on the connection of the transaction: a loop's reader for reads, the writer
/// (inside its transaction) for writes. Every statement is cached by its connection and bound, never built.
struct SQLiteUserStore: UserStore {
    let database: Database

    private static let columns = "id, name, email, is_admin, created_at, version"

    private static func record(_ row: Row) -> UserRecord {
        UserRecord(id: row.int64(0), name: row.string(1), email: row.string(2), isAdmin: row.bool(3), createdAt: row.string(4),
                   version: row.int64(5))
    }

    func user(id: Int64) throws -> UserRecord? {
        try database.queryOne("SELECT \(Self.columns) FROM users WHERE id = ?", id, read: Self.record)
    }

    func credentials(email: String) throws -> (user: UserRecord, passwordHash: String)? {
        try database.queryOne("SELECT \(Self.columns), password_hash FROM users WHERE email_key = ?", UserRecord.emailKey(email)) { row in
            (Self.record(row), row.string(6))
        }
    }

    func page(after afterID: Int64, limit: Int) throws -> [UserRecord] {
        try database.query("SELECT \(Self.columns) FROM users WHERE id > ? ORDER BY id LIMIT ?", afterID, limit, read: Self.record)
    }

    func insert(name: String, email: String, passwordHash: String, isAdmin: Bool, at now: String) throws -> UserRecord {
        do {
            try database.execute("""
                INSERT INTO users (name, email, email_key, password_hash, is_admin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, name, email, UserRecord.emailKey(email), passwordHash, isAdmin, now, now)
        } catch where error.isUniqueViolation {
            throw UserStoreRefusal.emailTaken
        }
        return UserRecord(id: database.lastInsertedRowID, name: name, email: email, isAdmin: isAdmin, createdAt: now)
    }

    func update(_ user: UserRecord, passwordHash: String?, at now: String) throws -> Bool {
        do {
            try database.execute("""
                UPDATE users SET name = ?, email = ?, email_key = ?, is_admin = ?, password_hash = coalesce(?, password_hash),
                updated_at = ?, version = version + 1 WHERE id = ?
                """, user.name, user.email, UserRecord.emailKey(user.email), user.isAdmin, passwordHash, now, user.id)
        } catch where error.isUniqueViolation {
            throw UserStoreRefusal.emailTaken
        }
        return database.changedRowCount == 1
    }

    func setPasswordHash(_ hash: String, of id: Int64) throws {
        try database.execute("UPDATE users SET password_hash = ? WHERE id = ?", hash, id)
    }

    func delete(id: Int64) throws -> Bool {
        do {
            try database.execute("DELETE FROM users WHERE id = ?", id)
        } catch where error.isForeignKeyViolation {         // a resource's `restrict` reference to the user
            throw ResourceRefusal.stillReferenced(resource: "users")
        }
        return database.changedRowCount == 1
    }
}
