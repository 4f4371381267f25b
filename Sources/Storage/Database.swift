import CSQLite

/// One SQLite connection: WAL, foreign keys, a busy timeout, and a cache of prepared statements.
///
/// Not thread-safe by design (opened `SQLITE_OPEN_NOMUTEX`): each connection belongs to one thread,
/// as in GRDB, where a connection is reached only through its serial queue. Writes go through `write`,
/// which wraps them in a transaction; a read outside one is its own snapshot.
public final class Database {
    /// The file path.
    public let path: String
    let handle: OpaquePointer              // Storage only: the writer installs its WAL hook on it
    private var statements: [String: Statement] = [:]
    /// Most statements kept prepared. Static SQL stays far below it; SQL built from a request's shape (a list's
    /// filter and sort) could grow the cache without end, so past it the cache starts over.
    static let statementCacheLimit = 256

    /// Opens (or creates) the database at `path` and configures it with `options`.
    /// - Throws: `SQLiteError` when the file cannot be opened or configured (not a database, no permission).
    public init(path: String, options: DatabaseOptions = DatabaseOptions()) throws(SQLiteError) {
        _ = Self.processSetup
        self.path = path
        let flags = SQLITE_OPEN_NOMUTEX | (options.isReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.flatMap(sqlite3_errmsg).map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(opened)          // a handle is returned even on failure, and must be closed
            throw SQLiteError(code: code, message: "cannot open \(path): \(message)")
        }
        handle = opened
        sqlite3_extended_result_codes(handle, 1)
        try configure(options)
    }

    /// Process-wide SQLite settings, made once before the first connection (Swift runs a static initializer once,
    /// thread-safely). Memory statistics are not used here and cost a global mutex per allocation.
    private static let processSetup: Void = {
        _ = csqlite_disable_memory_statistics()     // fails only if SQLite is already initialized: then it stays on
    }()

    deinit {
        statements.removeAll()                // finalize before closing
        sqlite3_close_v2(handle)
    }

    private func configure(_ options: DatabaseOptions) throws(SQLiteError) {
        sqlite3_busy_timeout(handle, options.busyTimeoutMilliseconds)
        // https://sqlite.org/wal.html: readers do not block the writer nor the writer the readers. Changing
        // the journal mode needs a write lock, so read-only connections take the mode the file already has.
        if !options.isReadOnly { try executeScript("PRAGMA journal_mode = WAL") }
        // temp_store: savepoints' statement journals stay in memory instead of temporary files. secure_delete FAST:
        // Debian builds SQLite to zero every deleted byte, at the cost of extra page writes; FAST zeroes what it
        // can without them (deleted rows are still gone from the b-tree at once).
        try executeScript("""
            PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA secure_delete = FAST;
            PRAGMA synchronous = \(options.synchronous.rawValue.uppercased())
            """)
    }

    // MARK: - Statements

    /// The cached prepared statement for `sql`, reset and ready to bind; prepared on first use.
    /// - Throws: `SQLiteError` when `sql` does not compile or holds more than one statement.
    public func statement(_ sql: String) throws(SQLiteError) -> Statement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        let prepared = try prepare(sql)
        if statements.count >= Self.statementCacheLimit { statements.removeAll() }   // a statement in use lives on until released
        statements[sql] = prepared
        return prepared
    }

    private func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        var prepared: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let code = sql.withCString { text in sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, &tail) }
        guard code == SQLITE_OK, let prepared else { throw error(code, sql: sql) }
        // A second statement after the first would be silently ignored by step(): refuse it (as GRDB does).
        if let tail, !String(cString: tail).allSatisfy(\.isWhitespace) {
            sqlite3_finalize(prepared)
            throw SQLiteError(code: SQLITE_MISUSE, message: "more than one statement", sql: sql)
        }
        return Statement(sql: sql, handle: prepared)
    }

    /// Runs one statement with `arguments` to completion, ignoring any rows.
    public func execute(_ sql: String, _ arguments: any SQLBindable...) throws(SQLiteError) {
        try execute(sql, arguments: arguments)
    }

    /// Runs one statement with `arguments` to completion, ignoring any rows.
    public func execute(_ sql: String, arguments: [any SQLBindable]) throws(SQLiteError) {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        while try statement.step() {}
    }

    /// Runs `body` with the cached statement for `sql`, bound to `arguments`, and resets it afterwards (which ends
    /// its read snapshot).
    private func withStatement<T>(_ sql: String, _ arguments: [any SQLBindable], _ body: (Statement) throws -> T) throws -> T {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        return try body(statement)
    }

    /// Runs `sql`, which may hold several statements and no parameters (migrations, pragmas).
    public func executeScript(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// Every row of `sql` with `arguments`, each turned into a value by `read`.
    public func query<T>(_ sql: String, _ arguments: any SQLBindable..., read: (Row) throws -> T) throws -> [T] {
        try query(sql, arguments: arguments, read: read)
    }

    /// Every row of `sql` with the `arguments` of an array (SQL whose parameter count is known only at run time).
    public func query<T>(_ sql: String, arguments: [any SQLBindable], read: (Row) throws -> T) throws -> [T] {
        try withStatement(sql, arguments) { statement in
            var rows: [T] = []
            while try statement.step() { rows.append(try read(statement.row)) }
            return rows
        }
    }

    /// The first row of `sql` with `arguments` turned into a value by `read`, or nil when there is none.
    public func queryOne<T>(_ sql: String, _ arguments: any SQLBindable..., read: (Row) throws -> T) throws -> T? {
        try withStatement(sql, arguments) { statement in try statement.step() ? read(statement.row) : nil }
    }

    // MARK: - Transactions

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE`, so the write lock is taken up front and a
    /// busy database fails here, not halfway through); commits if it returns, rolls back if it throws.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")          // the first error is the one worth reporting
            throw error
        }
    }

    /// Runs `body` inside a savepoint of the current transaction: if it throws, only its own changes are
    /// undone and the error is rethrown; the enclosing transaction goes on.
    public func savepoint<T>(_ body: (Database) throws -> T) throws -> T {
        try execute("SAVEPOINT item")
        do {
            let result = try body(self)
            try execute("RELEASE item")
            return result
        } catch {
            try? execute("ROLLBACK TO item")
            try? execute("RELEASE item")
            throw error
        }
    }

    /// `true` while a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// The rowid of the last row this connection inserted.
    public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    public var changedRowCount: Int { Int(sqlite3_changes(handle)) }

    private func error(_ code: Int32, sql: String) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}
