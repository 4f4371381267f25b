import Storage

/// The schema, as numbered migrations compiled into the binary (DESIGN §5). Append only: a migration that
/// has shipped is never edited, since its checksum is recorded in every database it was applied to.
enum Migrations {
    /// Every migration, oldest first.
    static let all: [Migration] = [users, tokens]

    /// The newest version; `/readyz` is ready when the database is at it.
    static var latestVersion: Int { all.last?.version ?? 0 }

    private static let users = Migration(1, "users", sql: """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,          -- AUTOINCREMENT: a deleted user's id is never reused
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            email_key TEXT NOT NULL UNIQUE,                -- the email lowercased: one account per address, in any case
            password_hash TEXT NOT NULL,                   -- an Argon2id PHC string
            is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """)

    private static let tokens = Migration(2, "tokens", sql: """
        CREATE TABLE tokens (
            jti TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
            family TEXT NOT NULL,                          -- one login: its refresh chain and the access tokens it issued
            secret_digest BLOB UNIQUE,                     -- refresh tokens: SHA-256 of the token, never the token
            scope TEXT NOT NULL DEFAULT '',
            issued_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at INTEGER,                               -- refresh tokens: when it was exchanged (rotation)
            revoked_at INTEGER
        );
        CREATE INDEX tokens_by_user ON tokens (user_id);
        CREATE INDEX tokens_by_family ON tokens (family);
        CREATE TABLE revocations (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,    -- servers poll for rows past the last one they saw
            jti TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        );
        """)
}
