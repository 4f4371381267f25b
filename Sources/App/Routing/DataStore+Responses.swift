import HTTP

extension DataStore {
    /// The response `respond` makes of what `read` finds on the request's loop. Handlers read through this, not
    /// `read(on:_:)`, so none assumes a read finishes before it returns: SQLite's does, and this answers at once;
    /// PostgreSQL's answers later, with no change to the handler.
    func reading<T>(_ context: RequestContext, _ read: @escaping @Sendable (any Transaction) throws -> T,
                    then respond: @escaping @Sendable (T) throws -> Response) throws -> Response {
        if answersReadsAtOnce { return try respond(self.read(on: context.loopIndex, read)) }
        let loop = context.loopIndex
        return .later(.onLoop) { complete in
            self.read(on: loop, read) { outcome in complete.respond { try respond(outcome.get()) } }
        }
    }

    /// Runs `write` in the writer's next transaction and, once it has committed, answers `complete` with `respond`
    /// of its result (or the error that stopped it).
    func commit<T>(_ write: @escaping @Sendable (any Transaction) throws -> T, answering complete: ResponseCompletion,
                   with respond: @escaping @Sendable (T) throws -> Response) {
        submit(write) { result in complete.respond { try respond(result.get()) } }
    }

    /// A deferred response: `write` committed by the writer, then `respond` of its result.
    func committing<T>(_ write: @escaping @Sendable (any Transaction) throws -> T,
                       then respond: @escaping @Sendable (T) throws -> Response) -> Response {
        .later(.onLoop) { complete in self.commit(write, answering: complete, with: respond) }
    }
}
