import JSON
import Storage

/// The embedded engine: one SQLite file in WAL mode, brought to the binary's schema before anything uses it
/// (DESIGN §5): a new database is always migrated; an older one only when the caller allows it; a newer or
/// changed one is refused.
enum SQLiteEngine: StoreEngine {
    /// The migrator of the binary's migrations.
    private static let migrator = Migrator(SQLiteMigrations.all)

    static var latestVersion: Int { SQLiteMigrations.all.last?.version ?? 0 }

    static func prepare(_ settings: DatabaseSettings, migratePending: Bool) throws(AppError) -> [AppliedMigration] {
        do {
            try FileSystem.makeDirectories(settings.directory, mode: 0o700)
            try FileSystem.createPrivateFile(settings.path)
        } catch {
            throw AppError("\(error)", exitCode: 2)
        }
        do {
            let database = try Database(path: settings.path, options: settings.options)
            let status = try migrator.status(of: database)
            try migrator.check(status)
            if !status.pending.isEmpty && !status.applied.isEmpty && !migratePending {
                throw AppError("\(settings.path): \(status.pending.count) migration(s) pending; run 'api migrate' (database.auto_migrate is off)")
            }
            return try migrator.migrate(database).map { AppliedMigration(version: $0.version, name: $0.name) }
        } catch let error as AppError {
            throw error
        } catch {
            throw AppError("\(settings.path): \(error)")
        }
    }

    static func migrationStatus(_ settings: DatabaseSettings) throws(AppError) -> (report: String, isRefused: Bool) {
        guard FileSystem.exists(settings.path) else {
            return ("\(settings.path): no database yet; \(SQLiteMigrations.all.count) migration(s) pending\n"
                + SQLiteMigrations.all.map { "pending  \($0.version) \($0.name)\n" }.joined(), false)
        }
        var options = settings.options
        options.isReadOnly = true
        do {
            let status = try migrator.status(of: Database(path: settings.path, options: options))
            var lines = status.applied.map { record in
                let state = status.mismatched.contains(record.version) ? "CHANGED" : status.unknown.contains(record.version) ? "UNKNOWN" : "applied"
                return "\(state)  \(record.version) \(record.name)  \(record.appliedAt)\n"
            }
            lines += status.pending.map { "pending  \($0.version) \($0.name)\n" }
            do {
                try migrator.check(status)
                return (lines.joined(), false)
            } catch {
                return (lines.joined() + "refused: \(error)\n", true)
            }
        } catch {
            throw AppError("\(settings.path): \(error)")
        }
    }

    static func prepareResources(_ settings: DatabaseSettings, declared: [ResourceDeclaration],
                                 migratePending: Bool, at now: String, destructive: DestructiveMigration?) throws(AppError) -> [ResourceChange] {
        do {
            let database = try Database(path: settings.path, options: settings.options)
            let plan = ResourceMigrationPlan(recorded: try SQLiteResourceMigrator.recorded(in: database), declared: declared)
            guard try plan.admit(destructive, migratePending: migratePending, database: settings.path) else { return [] }
            if let backup = plan.backup(destructive) {
                // A copy of the database as it is, before anything is lost (https://sqlite.org/lang_vacuum.html#vacuuminto).
                try database.execute("VACUUM INTO ?", backup)
            }
            try SQLiteResourceMigrator.apply(plan, declared: declared, to: database, at: now, backfills: destructive?.backfills ?? [:])
            return plan.changes
        } catch let error as AppError {
            throw error
        } catch {
            throw AppError("\(settings.path): resources: \(error)", exitCode: 2)
        }
    }

    static func backupLocation(_ settings: DatabaseSettings, stamp: String) -> String {
        var path = "\(settings.path).backup-\(stamp)"
        while FileSystem.exists(path) { path += "-1" }
        return path
    }

    static func resourcePlan(_ settings: DatabaseSettings, declared: [ResourceDeclaration]) throws(AppError) -> (plan: ResourceMigrationPlan, sql: [String]) {
        var options = settings.options
        options.isReadOnly = true
        do {
            let recorded = FileSystem.exists(settings.path) ? try SQLiteResourceMigrator.recorded(in: Database(path: settings.path, options: options)) : []
            let plan = ResourceMigrationPlan(recorded: recorded, declared: declared)
            return (plan, plan.changes.flatMap { SQLiteResourceMigrator.statements(for: $0) })
        } catch {
            throw AppError("\(settings.path): resources: \(error)")
        }
    }

    static func backUp(_ settings: DatabaseSettings, to path: String) throws(AppError) -> Int {
        guard FileSystem.exists(settings.path) else { throw AppError("\(settings.path): no database to back up") }
        do { return try OnlineBackup.copy(settings.path, to: path, busyTimeoutMilliseconds: Int32(settings.busyTimeoutMilliseconds)) } catch {
            throw AppError("backup of \(settings.path) to \(path): \(error)")
        }
    }

    static func restore(_ settings: DatabaseSettings, from path: String) throws(AppError) {
        guard FileSystem.exists(path) else { throw AppError("\(path): no such backup", exitCode: 2) }
        do { try OnlineBackup.checkIntegrity(path) } catch {
            throw AppError("\(path): not a usable backup: \(error)")
        }
        if FileSystem.exists(settings.path) { try leaveWriteAheadLog(settings) }
        do {
            try FileSystem.makeDirectories(settings.directory, mode: 0o700)
            try OnlineBackup.copy(path, to: settings.path)
        } catch {
            throw AppError("restore of \(path) to \(settings.path): \(error)")
        }
    }

    /// Takes the database out of WAL mode, which SQLite allows only to its one open connection: a server that has it
    /// open makes this fail at once, and a database left so has no `-wal` file a restored one could be mixed with.
    private static func leaveWriteAheadLog(_ settings: DatabaseSettings) throws(AppError) {
        var options = settings.options
        options.busyTimeoutMilliseconds = 0
        let mode: String?
        do {
            mode = try Database(path: settings.path, options: options).queryOne("PRAGMA journal_mode = DELETE") { $0.string(0) }
        } catch {
            throw AppError("\(settings.path) is in use (\(error)): stop the server before restoring")
        }
        guard mode == "delete" else { throw AppError("\(settings.path) is in use: stop the server before restoring") }
    }

    static func open(_ settings: DatabaseSettings, loops: Int, resources: [ResourceDeclaration]) throws -> any DataStore {
        try SQLiteDataStore(settings, loops: loops, resources: resources)
    }

    /// The schema version recorded in `database`, or nil when none is.
    static func schemaVersion(of database: Database) throws -> Int? {
        try database.queryOne("SELECT max(version) FROM schema_migrations") { $0.isNull(0) ? nil : $0.int(0) } ?? nil
    }
}

extension DatabaseSettings {
    /// How SQLite opens the file.
    var options: DatabaseOptions {
        var options = DatabaseOptions()
        options.synchronous = Synchronous(rawValue: synchronous) ?? .normal
        options.busyTimeoutMilliseconds = Int32(clamping: busyTimeoutMilliseconds)
        return options
    }
}
