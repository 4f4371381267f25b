import JSON

/// What `api migrate --allow-destructive` allows (DESIGN §10): the resources' destructive changes are applied after a
/// backup (`StoreEngine.backupLocation`: a copy of SQLite's file; on PostgreSQL, copies of the tables they touch in a
/// new schema), and a new required field takes the value its `backfills` entry
/// gives (`--set projects.code=X`, by `resource.field`).
struct DestructiveMigration: Sendable {
    /// Where the backup goes: a file for SQLite, a schema's name for PostgreSQL.
    let backup: String
    /// The value each new required field gets in the records that exist, by `resource.field`.
    let backfills: [String: JSONValue]

    /// A destructive migration backing up to `backup`.
    init(backup: String, backfills: [String: JSONValue]) {
        self.backup = backup
        self.backfills = backfills
    }
}

extension DestructiveMigration {
    /// Every new required field of `plan` has a value for the existing records, and it fits the field.
    func checkBackfills(of plan: ResourceMigrationPlan) throws(AppError) {
        for case .addRequiredField(let declaration, let field) in plan.changes {
            let name = "\(declaration.name).\(field.name)"
            guard let value = backfills[name] else { throw AppError("resources: \(name) is a new required field: give its value with --set \(name)=VALUE", exitCode: 2) }
            guard ResourceFieldReader.fits(value, field.kind) else { throw AppError("--set \(name): \(value.jsonText) is not a valid value of the field", exitCode: 2) }
        }
    }
}
