import Storage

/// A transaction on one SQLite connection: the writer's, inside its transaction, or a loop's reader.
struct SQLiteTransaction: Transaction {
    let database: Database
    /// The resources' tables, by name, built when the store opened.
    let tables: [String: SQLiteResourceTable]
    /// Set when the write names an author, so the writer forgets it after the write; nil on a reader.
    var authorship: Authorship? = nil

    /// Whether a write named the author of its changes.
    final class Authorship {
        var isNamed = false
    }

    var users: any UserStore { SQLiteUserStore(database: database) }
    var tokens: any TokenStore { SQLiteTokenStore(database: database) }
    var jobs: any JobQueue { SQLiteJobQueue(database: database) }
    var audit: any AuditLog { SQLiteAuditLog(database: database) }
    var idempotency: any IdempotencyStore { SQLiteIdempotencyStore(database: database) }
    var changes: any ChangeLog { SQLiteChangeLog(database: database) }

    func resource(_ declaration: ResourceDeclaration) -> any ResourceStore {
        SQLiteResourceStore(database: database, table: tables[declaration.name] ?? SQLiteResourceTable(declaration))
    }

    func attributeChanges(to author: ChangeAuthor) throws {
        try SQLiteChangeLog.attribute(author, on: database)
        authorship?.isNamed = true
    }

    func isolated<T>(_ body: () throws -> T) throws -> T {
        try database.savepoint { _ in try body() }
    }

    func schemaIsCurrent() throws -> Bool {
        try SQLiteEngine.schemaVersion(of: database) == SQLiteEngine.latestVersion
    }
}
