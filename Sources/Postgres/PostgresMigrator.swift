/// Brings a PostgreSQL database to a list of migrations under an advisory lock (DESIGN §14): N instances starting
/// together each call it, the first to take the lock applies what is pending, and the others find nothing left.
/// Each migration runs in one transaction with its record in `schema_migrations`; a database that has migrations
/// this binary does not know, or whose recorded checksums differ, is refused before anything runs.
public struct PostgresMigrator: Sendable {
    /// The migrations, by increasing version.
    public let migrations: [PostgresMigration]

    /// The advisory lock every instance of `api` takes to migrate (`pg_advisory_lock`): the bytes of "api-mig".
    static let lockKey = "27426669776955751"

    /// How long an instance waits for another's migrations (and the lock) before it gives up.
    public var timeoutMilliseconds = 600_000

    /// A migrator; versions must be unique and increasing (a programming error otherwise).
    public init(_ migrations: [PostgresMigration]) {
        precondition(zip(migrations, migrations.dropFirst()).allSatisfy { $0.version < $1.version }, "migration versions must increase")
        self.migrations = migrations
    }

    private static let createTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version integer PRIMARY KEY,
            name text NOT NULL,
            checksum text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """

    /// Applies every pending migration in order on `connection` (a blocking use: start-up, `api migrate`); returns
    /// those this call applied.
    /// - Throws: `PostgresError` (`.schema`) when the database is newer or changed; the failing statement's error
    ///   when a migration fails (its transaction rolls back; earlier ones stay).
    @discardableResult
    public func migrate(_ connection: PostgresConnection) throws -> [PostgresMigration] {
        try Self.locked(connection, timeoutMilliseconds: timeoutMilliseconds) { try migrateLocked(connection) }
    }

    /// Runs `body` holding the advisory lock every instance migrates under (waiting at most `timeoutMilliseconds` for
    /// it): for the schema changes an instance makes besides these migrations (the declared resources' tables).
    /// - Throws: the lock's `PostgresError`, or what `body` throws.
    public static func locked<T>(_ connection: PostgresConnection, timeoutMilliseconds: Int, _ body: () throws -> T) throws -> T {
        try connection.runBlocking("SELECT pg_advisory_lock($1)", [lockKey], timeoutMilliseconds: timeoutMilliseconds)
        defer { _ = try? connection.runBlocking("SELECT pg_advisory_unlock($1)", [lockKey]) }
        return try body()
    }

    private func migrateLocked(_ connection: PostgresConnection) throws(PostgresError) -> [PostgresMigration] {
        try connection.runBlocking(Self.createTable)
        let recorded = try connection.runBlocking("SELECT version, checksum FROM schema_migrations ORDER BY version").rows
        try check(recorded)
        let done = Set(recorded.compactMap { $0[0].flatMap { Int($0) } })
        var applied: [PostgresMigration] = []
        for migration in migrations where !done.contains(migration.version) {
            try apply(migration, on: connection)
            applied.append(migration)
        }
        return applied
    }

    /// Refuses recorded migrations this binary does not have, or has with other statements.
    private func check(_ recorded: [[String?]]) throws(PostgresError) {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0.checksum) })
        let versions = recorded.map { (version: $0[0].flatMap { Int($0) } ?? -1, checksum: $0[1] ?? "") }
        let unknown = versions.filter { known[$0.version] == nil }.map(\.version)
        guard unknown.isEmpty else {
            throw PostgresError(.schema, message: "the database has migrations \(Self.list(unknown)) that this binary does not know; it was migrated by a newer version of api: run that version")
        }
        let changed = versions.filter { known[$0.version] != $0.checksum }.map(\.version)
        guard changed.isEmpty else {
            throw PostgresError(.schema, message: "migrations \(Self.list(changed)) recorded in the database differ from this binary's; the schema was changed by another build")
        }
    }

    /// BEGIN, the statements, the record, COMMIT: one pipeline, one transaction. After a failure the rest of the
    /// block is refused by the server and COMMIT rolls back.
    private func apply(_ migration: PostgresMigration, on connection: PostgresConnection) throws(PostgresError) {
        let record = (sql: "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                      parameters: [String(migration.version), migration.name, migration.checksum] as [String?])
        let statements = [(sql: "BEGIN", parameters: [String?]())] + migration.statements.map { ($0, [String?]()) } + [record, ("COMMIT", [])]
        let outcomes = try connection.runBlocking(statements, timeoutMilliseconds: timeoutMilliseconds)
        for outcome in outcomes {
            if case .failure(let error) = outcome {
                throw PostgresError(error.kind, sqlState: error.sqlState, message: "migration \(migration.version) (\(migration.name)): \(error.message)")
            }
        }
    }

    private static func list(_ versions: [Int]) -> String {
        versions.map(String.init).joined(separator: ", ")
    }
}
