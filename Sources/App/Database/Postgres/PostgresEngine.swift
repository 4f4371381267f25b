import Postgres

/// PostgreSQL, for N instances on one database (DESIGN §14): the binary's migrations and the resources' tables are
/// migrated under an advisory lock by whichever instance comes first, and a newer or changed schema is refused, as on
/// SQLite.
enum PostgresEngine: StoreEngine {
    private static let migrator = PostgresMigrator(PostgresMigrations.all)

    static var latestVersion: Int { PostgresMigrations.all.last?.version ?? 0 }

    static func prepare(_ settings: DatabaseSettings, migratePending: Bool) throws(AppError) -> [AppliedMigration] {
        do { try FileSystem.makeDirectories(settings.directory, mode: 0o700) } catch {   // it holds handover.sock
            throw AppError("\(error)", exitCode: 2)
        }
        let connection = try connect(settings)
        defer { connection.close() }
        do {
            let recorded = try recordedVersions(connection)
            let pending = PostgresMigrations.all.filter { !recorded.contains($0.version) }
            if !pending.isEmpty && !recorded.isEmpty && !migratePending {
                throw AppError("\(settings.location): \(pending.count) migration(s) pending; run 'api migrate' (database.auto_migrate is off)")
            }
            return try migrator.migrate(connection).map { AppliedMigration(version: $0.version, name: $0.name) }
        } catch let error as AppError {
            throw error
        } catch {
            throw AppError("\(settings.location): \(error)")
        }
    }

    static func migrationStatus(_ settings: DatabaseSettings) throws(AppError) -> (report: String, isRefused: Bool) {
        let connection = try connect(settings)
        defer { connection.close() }
        do {
            let rows = try hasTable("schema_migrations", connection)
                ? try connection.runBlocking("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version").records : []
            let known = Dictionary(uniqueKeysWithValues: PostgresMigrations.all.map { ($0.version, $0) })
            var isRefused = false
            var lines = rows.map { row in
                let state = known[row.int(0)].map { $0.checksum == row.string(2) ? "applied" : "CHANGED" } ?? "UNKNOWN"
                if state != "applied" { isRefused = true }
                return "\(state)  \(row.int(0)) \(row.string(1))  \(row.string(3))\n"
            }
            let applied = Set(rows.map { $0.int(0) })
            lines += PostgresMigrations.all.filter { !applied.contains($0.version) }.map { "pending  \($0.version) \($0.name)\n" }
            return (lines.joined() + (isRefused ? "refused: the database's migrations are not this binary's\n" : ""), isRefused)
        } catch {
            throw AppError("\(settings.location): \(error)")
        }
    }

    static func prepareResources(_ settings: DatabaseSettings, declared: [ResourceDeclaration], migratePending: Bool, at now: String,
                                 destructive: DestructiveMigration?) throws(AppError) -> [ResourceChange] {
        let connection = try connect(settings)
        defer { connection.close() }
        do {
            return try PostgresMigrator.locked(connection, timeoutMilliseconds: 600_000) {
                let plan = ResourceMigrationPlan(recorded: try PostgresResourceMigrator.recorded(connection), declared: declared)
                guard try plan.admit(destructive, migratePending: migratePending, database: settings.location) else { return [] }
                try PostgresResourceMigrator.apply(plan, declared: declared, on: connection, at: now, backfills: destructive?.backfills ?? [:],
                                                   backup: plan.backup(destructive))
                return plan.changes
            }
        } catch let error as AppError {
            throw error
        } catch {
            throw AppError("\(settings.location): resources: \(error)", exitCode: 2)
        }
    }

    static func resourcePlan(_ settings: DatabaseSettings, declared: [ResourceDeclaration]) throws(AppError) -> (plan: ResourceMigrationPlan, sql: [String]) {
        let connection = try connect(settings)
        defer { connection.close() }
        do {
            let recorded = try hasTable("resource_schemas", connection) ? try PostgresResourceMigrator.recorded(connection) : []
            let plan = ResourceMigrationPlan(recorded: recorded, declared: declared)
            return (plan, plan.changes.flatMap { PostgresResourceMigrator.statements(for: $0) })
        } catch {
            throw AppError("\(settings.location): resources: \(error)")
        }
    }

    /// A schema of the database, `api_backup_STAMP`, that the tables the destructive changes touch are copied into, in
    /// the migration's own transaction.
    static func backupLocation(_ settings: DatabaseSettings, stamp: String) -> String {
        "api_backup_\(stamp)"
    }

    static func backUp(_ settings: DatabaseSettings, to path: String) throws(AppError) -> Int {
        throw AppError("api backup copies the SQLite file; back up PostgreSQL with pg_dump (docs/scaling.md)", exitCode: 2)
    }

    static func restore(_ settings: DatabaseSettings, from path: String) throws(AppError) {
        throw AppError("api restore writes the SQLite file; restore PostgreSQL with pg_restore (docs/scaling.md)", exitCode: 2)
    }

    static func open(_ settings: DatabaseSettings, loops: Int, resources: [ResourceDeclaration]) throws -> any DataStore {
        try PostgresDataStore(settings.url, statementTimeoutMilliseconds: settings.statementTimeoutMilliseconds, resources: resources)
    }

    /// `url` without its password, for logs and errors: `postgres://user:secret@host/db` shows as
    /// `postgres://user@host/db`, and `password=...` is left out of a `key=value` string.
    static func redacted(_ url: String) -> String {
        if let scheme = url.firstRange(of: "://") {
            let rest = url[scheme.upperBound...]
            guard let at = rest.firstIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return url }
            return String(url[..<colon]) + String(rest[at...])
        }
        return url.split(separator: " ").filter { !$0.hasPrefix("password=") }.joined(separator: " ")
    }

    // MARK: - Parts

    /// A connection that answers, for start-up and the admin commands.
    private static func connect(_ settings: DatabaseSettings) throws(AppError) -> PostgresConnection {
        do {
            let connection = try PostgresConnection(settings.url)
            try connection.runBlocking("SELECT 1", timeoutMilliseconds: settings.statementTimeoutMilliseconds)
            return connection
        } catch {
            throw AppError("\(settings.location): cannot connect to PostgreSQL: \(error.message)")
        }
    }

    /// The versions `schema_migrations` records, none when the table is not made yet.
    private static func recordedVersions(_ connection: PostgresConnection) throws -> Set<Int> {
        guard try hasTable("schema_migrations", connection) else { return [] }
        return Set(try connection.runBlocking("SELECT version FROM schema_migrations").records.map { $0.int(0) })
    }

    private static func hasTable(_ name: String, _ connection: PostgresConnection) throws -> Bool {
        try connection.runBlocking("SELECT to_regclass($1) IS NOT NULL", [name]).records.first?.bool(0) ?? false
    }
}
