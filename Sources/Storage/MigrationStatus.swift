/// Where a database stands against the binary's migrations.
public struct MigrationStatus: Sendable {
    /// A migration recorded in the database.
    public struct Applied: Sendable, Equatable {
        /// Its number.
        public let version: Int
        /// Its name as recorded.
        public let name: String
        /// Its checksum as recorded.
        public let checksum: String
        /// When it was applied (UTC, as SQLite's `strftime` wrote it).
        public let appliedAt: String
    }

    /// Recorded migrations, by version.
    public let applied: [Applied]
    /// The binary's migrations not yet applied, by version.
    public let pending: [Migration]
    /// Recorded versions the binary does not have: the database was migrated by a newer binary.
    public let unknown: [Int]
    /// Recorded versions whose checksum differs from the binary's migration of the same version.
    public let mismatched: [Int]

    /// `true` when the schema is exactly the binary's: nothing pending, unknown or changed.
    public var isCurrent: Bool { pending.isEmpty && isCompatible }

    /// `true` when the binary may migrate and use the database: nothing unknown or changed.
    public var isCompatible: Bool { unknown.isEmpty && mismatched.isEmpty }
}
