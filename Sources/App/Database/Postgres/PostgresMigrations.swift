import Crypto
import Postgres

/// The schema on PostgreSQL, as numbered migrations compiled into the binary (DESIGN §5, §14): the same tables as
/// SQLite's, in this dialect, numbered on their own. Append only, like SQLite's: a migration that has shipped is never
/// edited, since its checksum is recorded in every database it was applied to.
enum PostgresMigrations {
    /// Every migration, oldest first, as the migrator runs them (one statement per string).
    static let all: [PostgresMigration] = [core, doorbells, rateLimits, channels]

    /// The tables of SQLite's migrations 1 to 8 as they stand after them: users, tokens and revocations, jobs, the audit
    /// log, the resources' declarations, idempotency keys and the change log.
    private static let core = migration(1, "core", statements: statements(of: """
        CREATE TABLE users (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,    -- a deleted user's id is never reused
            name text NOT NULL,
            email text NOT NULL,
            email_key text NOT NULL UNIQUE,                        -- the email lowercased: one account per address, in any case
            password_hash text NOT NULL,                           -- an Argon2id PHC string
            is_admin boolean NOT NULL DEFAULT false,
            created_at text NOT NULL,
            updated_at text NOT NULL,
            version bigint NOT NULL DEFAULT 1                      -- the ETag of /users/{id}
        );
        CREATE TABLE tokens (
            jti text PRIMARY KEY,
            user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            kind text NOT NULL CHECK (kind IN ('access', 'refresh')),
            family text NOT NULL,                                  -- one login: its refresh chain and the access tokens it issued
            secret_digest bytea UNIQUE,                            -- refresh tokens: SHA-256 of the token, never the token
            scope text NOT NULL DEFAULT '',
            issued_at bigint NOT NULL,
            expires_at bigint NOT NULL,
            used_at bigint,                                        -- refresh tokens: when it was exchanged (rotation)
            revoked_at bigint
        );
        CREATE INDEX tokens_by_user ON tokens (user_id);
        CREATE INDEX tokens_by_family ON tokens (family);
        CREATE TABLE revocations (
            sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- instances poll for rows past the last one they saw
            jti text NOT NULL,
            expires_at bigint NOT NULL
        );
        CREATE TABLE jobs (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,    -- also the idempotency key: never reused
            kind text NOT NULL,
            payload text NOT NULL,                                 -- JSON, as the kind's payload type encodes it
            state text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'dead')),
            attempts integer NOT NULL DEFAULT 0,
            max_attempts integer NOT NULL,
            run_at bigint NOT NULL,                                -- Unix milliseconds: not before
            last_error text,
            created_at bigint NOT NULL,                            -- Unix milliseconds
            updated_at bigint NOT NULL,
            finished_at bigint,
            lease_until bigint                                     -- a running job's: past it, its instance is taken for dead
        );
        CREATE INDEX jobs_queued ON jobs (run_at) WHERE state = 'queued';
        CREATE INDEX jobs_running ON jobs (id) WHERE state = 'running';
        CREATE TABLE audit_log (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            actor text NOT NULL,                                   -- who asked (the caller's email)
            "user" text NOT NULL,                                  -- for whom (`?user=`)
            action text NOT NULL,
            request_id text NOT NULL,
            created_at text NOT NULL,                              -- when the request was answered
            job_id bigint UNIQUE                                   -- the job that wrote it: a job run again does not write twice
        );
        CREATE TABLE resource_schemas (
            position bigint GENERATED ALWAYS AS IDENTITY,          -- the order they were first recorded (SQLite's rowid)
            name text PRIMARY KEY,
            declaration text NOT NULL,                             -- the resource's JSON, as the configuration wrote it
            updated_at text NOT NULL
        );
        CREATE TABLE idempotency_keys (
            caller text NOT NULL,                                  -- user:ID or anonymous
            key text NOT NULL,
            fingerprint bytea NOT NULL,                            -- SHA-256 of the method, path and body it answered
            status integer NOT NULL,
            reason text NOT NULL,
            content_type text,
            headers text NOT NULL,                                 -- JSON: [[name, value], ...]
            body bytea NOT NULL,
            created_at bigint NOT NULL,                            -- Unix milliseconds
            PRIMARY KEY (caller, key)
        );
        CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
        CREATE TABLE changes (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            resource text NOT NULL,
            record_id bigint NOT NULL,
            operation text NOT NULL,                               -- created, updated or deleted
            record text NOT NULL,                                  -- JSON: the record as written (a deleted one as it was)
            previous text,                                         -- JSON: an updated record as it was before
            actor bigint,                                          -- the user whose request made the change, when one did
            request_id text,
            at text NOT NULL
        );
        CREATE INDEX changes_by_resource ON changes (resource, seq);
        CREATE INDEX changes_by_time ON changes (at);
        """))

    /// What other instances learn of at once (DESIGN §14: LISTEN/NOTIFY as a doorbell, reading by sequence number
    /// behind it): every change of a resource's record is logged by `api_log_change` (each resource table's trigger
    /// calls it) and rings `api_changes`; a revocation rings `api_revocations`; a user changed or deleted rings
    /// `api_users`. The log takes a transaction-level advisory lock before it writes, held until the commit: writers of
    /// the log commit one at a time, so its sequence numbers are in commit order and a reader that has seen number N
    /// has seen every change before it (a number taken by a transaction still open could otherwise appear later,
    /// behind a reader). Function bodies hold semicolons, so each statement is given whole.
    private static let doorbells: PostgresMigration = {
        let statements = [
            """
            CREATE FUNCTION api_log_change() RETURNS trigger LANGUAGE plpgsql AS $body$
            DECLARE
                author bigint := nullif(current_setting('api.actor', true), '')::bigint;
                request text := nullif(current_setting('api.request_id', true), '');
            BEGIN
                PERFORM pg_advisory_xact_lock(27426669776955752);
                IF TG_OP = 'DELETE' THEN
                    INSERT INTO changes (resource, record_id, operation, record, previous, actor, request_id, at)
                    VALUES (TG_TABLE_NAME, OLD.id, 'deleted', row_to_json(OLD)::text, NULL, author, request,
                            to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
                ELSE
                    INSERT INTO changes (resource, record_id, operation, record, previous, actor, request_id, at)
                    VALUES (TG_TABLE_NAME, NEW.id, CASE TG_OP WHEN 'INSERT' THEN 'created' ELSE 'updated' END, row_to_json(NEW)::text,
                            CASE TG_OP WHEN 'UPDATE' THEN row_to_json(OLD)::text END, author, request, NEW.updated_at);
                END IF;
                PERFORM pg_notify('api_changes', '');
                RETURN NULL;
            END
            $body$
            """,
            """
            CREATE FUNCTION api_notify() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                PERFORM pg_notify(TG_ARGV[0], '');
                RETURN NULL;
            END
            $body$
            """,
            "CREATE TRIGGER revocations_notify AFTER INSERT ON revocations FOR EACH STATEMENT EXECUTE FUNCTION api_notify('api_revocations')",
            "CREATE TRIGGER users_notify AFTER UPDATE OR DELETE ON users FOR EACH STATEMENT EXECUTE FUNCTION api_notify('api_users')",
        ]
        return migration(2, "doorbells", statements: statements)
    }()

    /// The counts of `http.rate_limits.shared` (`PostgresRateLimits`): unlogged, as they are worth no write-ahead log
    /// (a crash of the database forgets them, and every client starts afresh).
    private static let rateLimits = migration(3, "rate_limits", statements: statements(of: """
        CREATE UNLOGGED TABLE rate_limits (
            bucket text PRIMARY KEY,                               -- the rule's name, the kind of key, the key
            tat bigint NOT NULL,                                   -- GCRA's theoretical arrival time, Unix ms by the database's clock
            admitted boolean NOT NULL                              -- whether the last request counted was admitted
        );
        """))

    /// The channel messages the instances pass to each other (`PostgresChannelMessages`): unlogged, as they are
    /// ephemeral; `api_channels` rings when one is published.
    private static let channels = migration(4, "channels", statements: statements(of: """
        CREATE UNLOGGED TABLE channel_sequences (
            channel text PRIMARY KEY,
            seq bigint NOT NULL                                    -- the channel's last message's number
        );
        CREATE UNLOGGED TABLE channel_messages (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,    -- drawn under an advisory lock: in commit order
            channel text NOT NULL,
            seq bigint NOT NULL,
            from_user bigint,                                      -- the publisher, null when anonymous
            at text NOT NULL,
            data text NOT NULL                                     -- JSON
        );
        CREATE TRIGGER channel_messages_notify AFTER INSERT ON channel_messages FOR EACH STATEMENT EXECUTE FUNCTION api_notify('api_channels');
        """))

    /// A migration whose checksum is SHA-256 of its statements, in hex.
    private static func migration(_ version: Int, _ name: String, statements: [String]) -> PostgresMigration {
        let digest = SHA256.hash(Array(statements.joined(separator: ";\n").utf8))
        let checksum = digest.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        return PostgresMigration(version, name, statements: statements, checksum: checksum)
    }

    /// The statements of `sql`, each ending with the line that ends in `;` (none of ours has one inside).
    private static func statements(of sql: String) -> [String] {
        var statements: [String] = [], lines: [Substring] = []
        for line in sql.split(separator: "\n") {
            lines.append(line)
            guard line.hasSuffix(";") else { continue }
            statements.append(String(lines.joined(separator: "\n").dropLast()))
            lines = []
        }
        return statements
    }
}
