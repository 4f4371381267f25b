import Postgres

/// The SQL of the `users` table on PostgreSQL, in the session of a read or a write.
struct PostgresUserStore: UserStore {
    let session: PostgresSession

    private static let columns = "id, name, email, is_admin, created_at, version"

    private static func record(_ row: PostgresRow) -> UserRecord {
        UserRecord(id: row.int64(0), name: row.string(1), email: row.string(2), isAdmin: row.bool(3), createdAt: row.string(4),
                   version: row.int64(5))
    }

    func user(id: Int64) throws -> UserRecord? {
        try session.row("SELECT \(Self.columns) FROM users WHERE id = $1" + (session.locksRows ? " FOR NO KEY UPDATE" : ""), [id], read: Self.record)
    }

    func credentials(email: String) throws -> (user: UserRecord, passwordHash: String)? {
        try session.row("SELECT \(Self.columns), password_hash FROM users WHERE email_key = $1", [UserRecord.emailKey(email)]) { row in
            (Self.record(row), row.string(6))
        }
    }

    func page(after afterID: Int64, limit: Int) throws -> [UserRecord] {
        try session.rows("SELECT \(Self.columns) FROM users WHERE id > $1 ORDER BY id LIMIT $2", [afterID, limit], read: Self.record)
    }

    func insert(name: String, email: String, passwordHash: String, isAdmin: Bool, at now: String) throws -> UserRecord {
        session.changesUsers = true
        let id = try refusingTakenEmail {
            try session.row("""
                INSERT INTO users (name, email, email_key, password_hash, is_admin, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
                RETURNING id
                """, [name, email, UserRecord.emailKey(email), passwordHash, isAdmin, now]) { $0.int64(0) }
        }
        return UserRecord(id: id ?? 0, name: name, email: email, isAdmin: isAdmin, createdAt: now)
    }

    func update(_ user: UserRecord, passwordHash: String?, at now: String) throws -> Bool {
        session.changesUsers = true
        return try refusingTakenEmail {
            try session.run("""
                UPDATE users SET name = $1, email = $2, email_key = $3, is_admin = $4, password_hash = coalesce($5, password_hash),
                updated_at = $6, version = version + 1 WHERE id = $7
                """, [user.name, user.email, UserRecord.emailKey(user.email), user.isAdmin, passwordHash, now, user.id]).affectedRows == 1
        }
    }

    func setPasswordHash(_ hash: String, of id: Int64) throws {
        session.changesUsers = true
        _ = try session.run("UPDATE users SET password_hash = $1 WHERE id = $2", [hash, id])
    }

    func delete(id: Int64) throws -> Bool {
        session.changesUsers = true
        do {
            return try session.run("DELETE FROM users WHERE id = $1", [id]).affectedRows == 1
        } catch let error as PostgresError where error.isForeignKeyViolation {   // a resource's `restrict` reference to the user
            throw ResourceRefusal.stillReferenced(resource: "users")
        }
    }

    private func refusingTakenEmail<T>(_ write: () throws -> T) throws -> T {
        do {
            return try write()
        } catch let error as PostgresError where error.meaning == .uniqueViolation {
            throw UserStoreRefusal.emailTaken
        }
    }
}
