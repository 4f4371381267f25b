/// One transaction of the storage engine, as App sees it: the stores it reaches. A write gets one from the writer
/// (inside its transaction); a read gets one over a loop's own connection. No engine shows through: each engine
/// implements the stores in its own folder (`Database/SQLite/`).
protocol Transaction {
    /// The `users` table.
    var users: any UserStore { get }
    /// Issued tokens and their revocations.
    var tokens: any TokenStore { get }
    /// The durable job queue.
    var jobs: any JobQueue { get }
    /// The audit log that `AuditJob` appends to.
    var audit: any AuditLog { get }
    /// The answers kept for `Idempotency-Key`s.
    var idempotency: any IdempotencyStore { get }
    /// The change log of the resources.
    var changes: any ChangeLog { get }
    /// The records of a resource declared in the configuration (one the store was opened with).
    func resource(_ declaration: ResourceDeclaration) -> any ResourceStore

    /// Records `author` as the author of the changes this write makes to resources' records from now on (the change
    /// log's `actor` and `request_id`); a write that does not say has none.
    func attributeChanges(to author: ChangeAuthor) throws

    /// Runs `body` so that, when it throws, only its own writes are undone (a savepoint) and the rest of the
    /// transaction stands; the error is rethrown.
    func isolated<T>(_ body: () throws -> T) throws -> T

    /// Whether the database's schema is the one this binary was built for (readiness).
    func schemaIsCurrent() throws -> Bool
}
