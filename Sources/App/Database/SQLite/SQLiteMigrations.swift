import Storage

/// The schema, as numbered migrations compiled into the binary (DESIGN §5). Append only: a migration that
/// has shipped is never edited, since its checksum is recorded in every database it was applied to.
enum SQLiteMigrations {
    /// Every migration, oldest first.
    static let all: [Migration] = [users, tokens, jobs, jobsWithoutListCheck, resourceSchemas, usersVersion, idempotencyKeys, changes]

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

    private static let jobs = Migration(3, "jobs", sql: """
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,          -- also the idempotency key; AUTOINCREMENT: never reused
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,                         -- JSON, as the kind's payload type encodes it
            state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL,
            run_at INTEGER NOT NULL,                       -- Unix milliseconds: not before
            last_error TEXT,
            created_at INTEGER NOT NULL,                   -- Unix milliseconds
            updated_at INTEGER NOT NULL,
            finished_at INTEGER
        );
        -- Partial indexes hold only the few jobs waiting or running, so finding them never wades through finished ones.
        CREATE INDEX jobs_queued ON jobs (run_at) WHERE state = 'queued';
        CREATE INDEX jobs_running ON jobs (id) WHERE state = 'running';
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            actor TEXT NOT NULL,                           -- who asked (the caller's email)
            user TEXT NOT NULL,                            -- for whom (`?user=`)
            action TEXT NOT NULL,
            request_id TEXT NOT NULL,
            created_at TEXT NOT NULL,                      -- when the request was answered
            job_id INTEGER UNIQUE                          -- the job that wrote it: a job run again does not write twice
        );
        """)

    /// The same `jobs` table, its state checked by comparisons: SQLite evaluates a CHECK's `IN (list)` by building a
    /// temporary b-tree of the list at every insert, which was a third of the cost of queueing a job. The table
    /// is rebuilt the way https://sqlite.org/lang_altertable.html#otheralter says, and its AUTOINCREMENT counter
    /// carried over (ids are the audit log's idempotency keys: one must never come back, even after the jobs
    /// that had it were deleted).
    private static let jobsWithoutListCheck = Migration(4, "jobs without list check", sql: """
        ALTER TABLE jobs RENAME TO jobs_old;
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state = 'queued' OR state = 'running' OR state = 'succeeded' OR state = 'dead'),
            attempts INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL,
            run_at INTEGER NOT NULL,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            finished_at INTEGER
        );
        INSERT INTO jobs SELECT * FROM jobs_old;
        DELETE FROM sqlite_sequence WHERE name = 'jobs';
        UPDATE sqlite_sequence SET name = 'jobs' WHERE name = 'jobs_old';
        DROP TABLE jobs_old;
        CREATE INDEX jobs_queued ON jobs (run_at) WHERE state = 'queued';
        CREATE INDEX jobs_running ON jobs (id) WHERE state = 'running';
        """)

    /// The declarations of the resources (DESIGN §10) as last migrated, so the next migration knows what changed;
    /// the resources' own tables are made from them (`SQLiteResourceMigrator`), not by numbered migrations.
    private static let resourceSchemas = Migration(5, "resource schemas", sql: """
        CREATE TABLE resource_schemas (
            name TEXT PRIMARY KEY,
            declaration TEXT NOT NULL,                     -- the resource's JSON, as the configuration wrote it
            updated_at TEXT NOT NULL
        );
        """)

    /// A user's version, counted up by every change, as a resource record's is: the `ETag` of `/users/{id}` (issue 17).
    private static let usersVersion = Migration(6, "users version", sql: """
        ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
        """)

    /// The first answers to requests with an `Idempotency-Key` (issue 17), kept 24 hours per caller and key.
    private static let idempotencyKeys = Migration(7, "idempotency keys", sql: """
        CREATE TABLE idempotency_keys (
            caller TEXT NOT NULL,                          -- user:ID or anonymous
            key TEXT NOT NULL,
            fingerprint BLOB NOT NULL,                     -- SHA-256 of the method, path and body it answered
            status INTEGER NOT NULL,
            reason TEXT NOT NULL,
            content_type TEXT,
            headers TEXT NOT NULL,                         -- JSON: [[name, value], ...]
            body BLOB NOT NULL,
            created_at INTEGER NOT NULL,                   -- Unix milliseconds
            PRIMARY KEY (caller, key)
        );
        CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
        """)

    /// The change log of the resources (DESIGN §11): one row per record created, updated or deleted, written in the
    /// transaction of the change by the writer's temporary triggers (`SQLiteChangeLog`). `seq` is the event id of
    /// every stream; AUTOINCREMENT never gives a number twice, even after the newest rows are purged.
    private static let changes = Migration(8, "changes", sql: """
        CREATE TABLE changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            resource TEXT NOT NULL,
            record_id INTEGER NOT NULL,
            operation TEXT NOT NULL,                       -- created, updated or deleted
            record TEXT NOT NULL,                          -- JSON: the record as written (a deleted one as it was)
            previous TEXT,                                 -- JSON: an updated record as it was before
            actor INTEGER,                                 -- the user whose request made the change, when one did
            request_id TEXT,
            at TEXT NOT NULL
        );
        CREATE INDEX changes_by_resource ON changes (resource, seq);
        CREATE INDEX changes_by_time ON changes (at);
        """)
}
