import Postgres

/// A transaction on PostgreSQL, as App sees it: the stores over one `PostgresSession`, a read's (each statement on
/// its own) or a write's (between BEGIN and COMMIT).
struct PostgresStoreTransaction: Transaction {
    let session: PostgresSession

    var users: any UserStore { PostgresUserStore(session: session) }
    var tokens: any TokenStore { PostgresTokenStore(session: session) }
    var jobs: any JobQueue { PostgresJobQueue(session: session) }
    var audit: any AuditLog { PostgresAuditLog(session: session) }
    var idempotency: any IdempotencyStore { PostgresIdempotencyStore(session: session) }
    var changes: any ChangeLog { PostgresChangeLog(session: session) }

    /// Never called: `PostgresEngine.prepareResources` refuses a configuration that declares resources, so no route
    /// or command of one is made.
    func resource(_ declaration: ResourceDeclaration) -> any ResourceStore {
        preconditionFailure("resources are not served on PostgreSQL yet (issue 21); the engine refused \(declaration.name) at start-up")
    }

    /// Nothing to record: without resources on this engine, no write changes a record the change log follows.
    func attributeChanges(to author: ChangeAuthor) throws {}

    /// A savepoint around `body`, named by depth; a failure rolls back to it, and `Unanswered` passes through untouched
    /// (the run stops there and comes back).
    func isolated<T>(_ body: () throws -> T) throws -> T {
        session.savepointDepth += 1
        defer { session.savepointDepth -= 1 }
        let name = "isolated_\(session.savepointDepth)"
        _ = try session.run("SAVEPOINT \(name)")
        do {
            let value = try body()
            _ = try session.run("RELEASE SAVEPOINT \(name)")
            return value
        } catch let unanswered as PostgresSession.Unanswered {
            throw unanswered
        } catch {
            _ = try session.run("ROLLBACK TO SAVEPOINT \(name)")
            throw error
        }
    }

    func schemaIsCurrent() throws -> Bool {
        let version = try session.row("SELECT max(version) FROM schema_migrations") { $0.optionalInt64(0) } ?? nil
        return version == Int64(PostgresEngine.latestVersion)
    }
}
