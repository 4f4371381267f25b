/// Why the binary refuses a database's schema.
public enum MigrationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database has migrations this binary does not know: it was made by a newer version.
    case databaseIsNewer(versions: [Int])
    /// A recorded migration's checksum differs from this binary's migration of the same number.
    case checksumMismatch(versions: [Int])

    /// One line saying what is wrong and what to do.
    public var description: String {
        switch self {
        case .databaseIsNewer(let versions):
            "the database has migrations \(versions.map(String.init).joined(separator: ", ")) that this binary does not know; it was migrated by a newer version of api: run that version"
        case .checksumMismatch(let versions):
            "migrations \(versions.map(String.init).joined(separator: ", ")) recorded in the database differ from this binary's; the schema was changed by another build: restore a backup or use the build that migrated it"
        }
    }
}
