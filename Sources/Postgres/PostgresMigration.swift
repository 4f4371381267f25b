/// One numbered schema change for PostgreSQL: statements run in one transaction, recorded with a checksum the caller
/// computes (as SQLite's migrations are), so that a database changed by another build is refused.
public struct PostgresMigration: Sendable, Equatable {
    /// Its number; migrations apply in increasing order, each once.
    public let version: Int
    /// A short name for `api migrate status`.
    public let name: String
    /// The statements, one per string (the extended protocol takes one statement at a time).
    public let statements: [String]
    /// What identifies these statements, recorded when the migration is applied.
    public let checksum: String

    /// A migration.
    public init(_ version: Int, _ name: String, statements: [String], checksum: String) {
        self.version = version
        self.name = name
        self.statements = statements
        self.checksum = checksum
    }
}
