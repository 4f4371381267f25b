import JSON

/// What `api migrate --allow-destructive` allows (DESIGN §10): the resources' destructive changes are applied after a
/// copy of the database is written to `backupPath`, and a new required field takes the value its `backfills` entry
/// gives (`--set projects.code=X`, by `resource.field`).
struct DestructiveMigration: Sendable {
    /// Where the backup goes.
    let backupPath: String
    /// The value each new required field gets in the records that exist, by `resource.field`.
    let backfills: [String: JSONValue]

    /// A destructive migration backing up to `backupPath`.
    init(backupPath: String, backfills: [String: JSONValue]) {
        self.backupPath = backupPath
        self.backfills = backfills
    }
}
