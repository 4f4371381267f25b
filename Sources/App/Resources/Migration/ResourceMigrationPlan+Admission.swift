extension ResourceMigrationPlan {
    /// The checks both engines make before they migrate the resources, at start-up and in `api migrate` (DESIGN §10):
    /// a destructive change is refused unless `allowed` (`--allow-destructive`) covers it, each new required field
    /// needs its backfill, and pending changes wait for `api migrate` when `migratePending` is off.
    /// - Parameter database: where the data lives, to name in a refusal.
    /// - Returns: whether there is anything to migrate.
    func admit(_ allowed: DestructiveMigration?, migratePending: Bool, database: String) throws(AppError) -> Bool {
        if let refused = destructive.first(where: { allowed == nil || !$0.isAllowedWhenDestructive }) {
            throw AppError("\(database): resources: \(refused.summary); refused", exitCode: 2)
        }
        if let allowed, !destructive.isEmpty { try allowed.checkBackfills(of: self) }
        if isEmpty { return false }
        guard migratePending else {
            throw AppError("\(database): \(changes.count) resource change(s) pending (\(changes[0].summary)); run 'api migrate' (database.auto_migrate is off)")
        }
        return true
    }

    /// Where to back up before migrating: `allowed`'s backup when the plan loses something, else nil.
    func backup(_ allowed: DestructiveMigration?) -> String? {
        destructive.isEmpty ? nil : allowed?.backup
    }
}
