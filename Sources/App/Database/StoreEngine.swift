/// A storage engine: how a database is brought to the binary's schema (DESIGN §5), reported on, and opened.
protocol StoreEngine {
    /// Creates the database if needed, then migrates it as allowed: a new database always, an older one only with
    /// `migratePending`; a newer or changed one is refused. Returns the migrations applied, oldest first.
    /// - Throws: `AppError` with a line saying what is wrong and what to do.
    static func prepare(_ settings: DatabaseSettings, migratePending: Bool) throws(AppError) -> [AppliedMigration]

    /// Every migration, applied (with when) or pending, one per line, without changing anything; `isRefused` when
    /// `serve` would refuse the database.
    static func migrationStatus(_ settings: DatabaseSettings) throws(AppError) -> (report: String, isRefused: Bool)

    /// The version of the newest migration the binary has.
    static var latestVersion: Int { get }

    /// Brings the tables of the declared resources to `declared` after `prepare`: the additive changes are applied
    /// when `migratePending` allows it, else refused as pending; destructive ones are always refused. Returns the
    /// changes applied; `now` is recorded with the declarations. With `destructive`, the destructive changes it allows
    /// are applied too, after a backup of the database.
    /// - Throws: `AppError` with a line naming what is refused and what to do (exit code 2).
    static func prepareResources(_ settings: DatabaseSettings, declared: [ResourceDeclaration], migratePending: Bool, at now: String,
                                 destructive: DestructiveMigration?) throws(AppError) -> [ResourceChange]

    /// Where `api migrate --allow-destructive` backs up what its destructive changes touch, named by `stamp` (the
    /// time, as digits): a file beside SQLite's, never an existing one; a new schema of the PostgreSQL database.
    static func backupLocation(_ settings: DatabaseSettings, stamp: String) -> String

    /// What the next migration of the resources would do, and the SQL it would run, without changing anything.
    static func resourcePlan(_ settings: DatabaseSettings, declared: [ResourceDeclaration]) throws(AppError) -> (plan: ResourceMigrationPlan, sql: [String])

    /// Writes a consistent copy of the database to `path` while servers may be writing to it (never blocking their
    /// writes), durable and checked before it appears at `path`; returns its size in bytes.
    /// - Throws: `AppError` saying what failed; nothing is left at `path` then.
    static func backUp(_ settings: DatabaseSettings, to path: String) throws(AppError) -> Int

    /// Replaces the database with the backup at `path`, after checking it; refuses while another process has the
    /// database open (a server), since it would go on with the replaced file.
    /// - Throws: `AppError` saying what is wrong (a bad backup, a database in use).
    static func restore(_ settings: DatabaseSettings, from path: String) throws(AppError)

    /// Opens a prepared database for a server of `loops` event loops (or a command, with one), serving `resources`.
    static func open(_ settings: DatabaseSettings, loops: Int, resources: [ResourceDeclaration]) throws -> any DataStore
}

/// A migration `prepare` applied.
struct AppliedMigration: Sendable, Equatable {
    let version: Int
    let name: String
}

extension DatabaseSettings {
    /// The engine these settings name: PostgreSQL when `url` is set, else the SQLite file.
    var engine: any StoreEngine.Type { url.isEmpty ? SQLiteEngine.self : PostgresEngine.self }

    /// The engine's name for `/metrics` (`api_instance_info`): `sqlite` or `postgresql`.
    var engineName: String { url.isEmpty ? "sqlite" : "postgresql" }
}

extension StoreEngine {
    /// What `serve` and the admin commands do before they open the store: the binary's migrations, then the resources'
    /// additive changes, both as `database.auto_migrate` allows (a database made just now always takes its resources).
    static func prepareForUse(_ settings: DatabaseSettings, resources: [ResourceDeclaration],
                              at now: String) throws(AppError) -> (migrations: [AppliedMigration], resourceChanges: [ResourceChange]) {
        let applied = try prepare(settings, migratePending: settings.autoMigrate)
        let isNew = applied.first?.version == 1
        let changes = try prepareResources(settings, declared: resources, migratePending: settings.autoMigrate || isNew, at: now, destructive: nil)
        return (applied, changes)
    }
}
