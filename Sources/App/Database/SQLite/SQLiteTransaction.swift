import Storage

/// A transaction on one SQLite connection: the writer's, inside its transaction, or a loop's reader.
struct SQLiteTransaction: Transaction {
    let database: Database

    var users: any UserStore { SQLiteUserStore(database: database) }
    var tokens: any TokenStore { SQLiteTokenStore(database: database) }
    var jobs: any JobQueue { SQLiteJobQueue(database: database) }
    var audit: any AuditLog { SQLiteAuditLog(database: database) }

    func isolated<T>(_ body: () throws -> T) throws -> T {
        try database.savepoint { _ in try body() }
    }

    func schemaIsCurrent() throws -> Bool {
        try SQLiteEngine.schemaVersion(of: database) == SQLiteEngine.latestVersion
    }
}
