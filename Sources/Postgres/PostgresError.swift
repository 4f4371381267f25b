/// A failed PostgreSQL operation: the server's SQLSTATE when it answered with an error, and its message.
public struct PostgresError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure.
    public enum Kind: Sendable, Equatable {
        /// The server refused the statement (`sqlState` says why: 23505 a unique violation, 40001 a serialization failure).
        case statement
        /// The connection could not be made, or was lost: nothing more goes through it.
        case connection
        /// The database's schema is not this binary's: migrated by a newer version, or changed by another build.
        case schema
    }

    /// What kind of failure.
    public let kind: Kind
    /// The five-character SQLSTATE of a refused statement (https://www.postgresql.org/docs/15/errcodes-appendix.html).
    public let sqlState: String?
    /// The server's or libpq's message, on one line.
    public let message: String

    /// An error with the given parts.
    public init(_ kind: Kind, sqlState: String? = nil, message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
    }

    public var description: String {
        sqlState.map { "PostgreSQL error \($0): \(message)" } ?? "PostgreSQL: \(message)"
    }
}
