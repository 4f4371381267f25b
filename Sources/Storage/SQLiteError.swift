import CSQLite

/// A failed SQLite call: the result code, SQLite's message, and the SQL it was running.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_BUSY_SNAPSHOT`...).
    public let code: Int32
    /// SQLite's message (`sqlite3_errmsg`), or ours when the failure is not SQLite's.
    public let message: String
    /// The statement that failed, if a statement was involved.
    public let sql: String?

    /// An error with the given parts.
    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (`SQLITE_CONSTRAINT` for every constraint failure).
    public var primaryCode: Int32 { code & 0xFF }

    /// `true` for UNIQUE, NOT NULL, CHECK and FOREIGN KEY failures.
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    /// `true` when a UNIQUE or PRIMARY KEY constraint failed.
    public var isUniqueViolation: Bool { code == Self.constraintUnique || code == Self.constraintPrimaryKey }

    /// `true` when another connection held a lock for longer than the busy timeout.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    // Extended codes are function-like macros in sqlite3.h, which Swift does not import.
    private static let constraintUnique = SQLITE_CONSTRAINT | (8 << 8)
    private static let constraintPrimaryKey = SQLITE_CONSTRAINT | (6 << 8)

    /// `SQLite error 19 (UNIQUE constraint failed: users.email) in INSERT ...`.
    public var description: String {
        "SQLite error \(code) (\(message))" + (sql.map { " in \($0)" } ?? "")
    }
}
