/// Applies the binary's migrations, each in its own transaction, and records them with their checksums
/// in `schema_migrations`.
public struct Migrator: Sendable {
    /// The migrations, by increasing version.
    public let migrations: [Migration]

    /// A migrator; versions must be unique and increasing (a programming error otherwise).
    public init(_ migrations: [Migration]) {
        precondition(zip(migrations, migrations.dropFirst()).allSatisfy { $0.version < $1.version }, "migration versions must increase")
        self.migrations = migrations
    }

    private static let createTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        )
        """

    /// How `database` compares with the migrations; reads only (a database without the table has applied nothing).
    public func status(of database: Database) throws -> MigrationStatus {
        let hasTable = try database.queryOne("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") { _ in true } ?? false
        let applied = hasTable ? try database.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version") { row in
            MigrationStatus.Applied(version: row.int(0), name: row.string(1), checksum: row.string(2), appliedAt: row.string(3))
        } : []
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        let appliedVersions = Set(applied.map(\.version))
        return MigrationStatus(
            applied: applied,
            pending: migrations.filter { !appliedVersions.contains($0.version) },
            unknown: applied.filter { known[$0.version] == nil }.map(\.version),
            mismatched: applied.filter { record in known[record.version].map { $0.checksum != record.checksum } ?? false }.map(\.version))
    }

    /// Applies every pending migration in order; returns those it applied.
    /// - Throws: `MigrationError` when the database is newer or was changed, before touching it;
    ///   `SQLiteError` when a migration fails (its transaction is rolled back; earlier ones stay).
    @discardableResult
    public func migrate(_ database: Database) throws -> [Migration] {
        try check(status(of: database))
        try database.executeScript(Self.createTable)
        var applied: [Migration] = []
        for migration in migrations {
            let didApply = try database.write { database in
                // Checked again inside the write lock: another process may have just applied it.
                guard try database.queryOne("SELECT 1 FROM schema_migrations WHERE version = ?", migration.version, read: { _ in true }) == nil else {
                    return false
                }
                try database.executeScript(migration.sql)
                try database.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                                     migration.version, migration.name, migration.checksum)
                return true
            }
            if didApply { applied.append(migration) }
        }
        return applied
    }

    /// Throws unless `status` allows this binary to use the database.
    public func check(_ status: MigrationStatus) throws(MigrationError) {
        if !status.unknown.isEmpty { throw .databaseIsNewer(versions: status.unknown) }
        if !status.mismatched.isEmpty { throw .checksumMismatch(versions: status.mismatched) }
    }
}
