import Storage

/// Brings a database to the binary's schema before anything uses it (DESIGN §5): a new database is always
/// migrated; an older one only when the caller allows it; a newer or changed one is refused.
enum DatabaseSetup {
    /// The migrator of the binary's migrations.
    static let migrator = Migrator(Migrations.all)

    /// Creates the database's directory, then migrates as allowed; returns the migrations it applied.
    /// - Throws: `AppError` with a line saying what is wrong and what to do.
    static func prepare(_ settings: DatabaseSettings, migratePending: Bool) throws(AppError) -> [Migration] {
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
            return try migrator.migrate(database)
        } catch let error as AppError {
            throw error
        } catch {
            throw AppError("\(settings.path): \(error)")
        }
    }
}
