import CSQLite

/// A prepared statement: bind arguments, step through rows, reset for the next use.
///
/// Owned by one `Database` and used on that connection's thread only; finalized in `deinit`.
public final class Statement {
    /// The SQL it was prepared from.
    public let sql: String
    let handle: OpaquePointer
    /// The number of parameters, read once: `bind` checks every call against it.
    private let parameterCount: Int

    init(sql: String, handle: OpaquePointer) {
        self.sql = sql
        self.handle = handle
        parameterCount = Int(sqlite3_bind_parameter_count(handle))
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `arguments` to the parameters `?1...?n` in order; every parameter is bound each time, so none keeps
    /// a value from an earlier use.
    /// - Throws: `SQLiteError` when the count is wrong or a bind fails.
    public func bind(_ arguments: [any SQLBindable]) throws(SQLiteError) {
        guard arguments.count == parameterCount else {
            throw SQLiteError(code: SQLITE_RANGE, message: "\(arguments.count) arguments for \(parameterCount) parameters", sql: sql)
        }
        for (offset, argument) in arguments.enumerated() {
            try check(argument.bind(to: handle, at: Int32(offset + 1)))
        }
    }

    /// Advances to the next row: `true` when `row` holds one, `false` when the statement is done.
    public func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw error(code)
    }

    /// The row the last `step()` stopped on.
    public var row: Row { Row(statement: handle) }

    /// Ends the current run, so the connection's read snapshot is released, and keeps the statement for reuse.
    public func reset() {
        sqlite3_reset(handle)
    }

    private func check(_ code: Int32) throws(SQLiteError) {
        guard code == SQLITE_OK else { throw error(code) }
    }

    private func error(_ code: Int32) -> SQLiteError {
        let connection = sqlite3_db_handle(handle)
        let extended = connection.map(sqlite3_extended_errcode) ?? code
        let message = connection.flatMap(sqlite3_errmsg).map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
        return SQLiteError(code: extended, message: message, sql: sql)
    }
}
