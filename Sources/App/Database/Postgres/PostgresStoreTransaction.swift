import Postgres

/// A transaction on PostgreSQL, as App sees it: the stores over one `PostgresSession`, a read's (each statement on
/// its own) or a write's (between BEGIN and COMMIT).
struct PostgresStoreTransaction: Transaction {
    let session: PostgresSession
    /// The resources' tables, by name, built when the store opened.
    let tables: [String: PostgresResourceTable]

    var users: any UserStore { PostgresUserStore(session: session) }
    var tokens: any TokenStore { PostgresTokenStore(session: session) }
    var jobs: any JobQueue { PostgresJobQueue(session: session) }
    var audit: any AuditLog { PostgresAuditLog(session: session) }
    var idempotency: any IdempotencyStore { PostgresIdempotencyStore(session: session) }
    var changes: any ChangeLog { PostgresChangeLog(session: session, tables: tables) }

    func resource(_ declaration: ResourceDeclaration) -> any ResourceStore {
        PostgresResourceStore(session: session, table: tables[declaration.name] ?? PostgresResourceTable(declaration))
    }

    /// Names the author in settings local to the transaction, which the log's trigger reads (`api_log_change`); they
    /// end with it, so a write that does not name one has none.
    func attributeChanges(to author: ChangeAuthor) throws {
        _ = try session.run("SELECT set_config('api.actor', $1, true), set_config('api.request_id', $2, true)",
                            texts: [author.userID.map(String.init) ?? "", author.requestID])
    }

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
