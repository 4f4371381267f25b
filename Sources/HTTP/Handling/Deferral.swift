/// Thrown by a handler (or what it calls, such as an access check) that needs something which arrives later (a row
/// from a database across the network) before it can answer. The router answers later: it calls `prepare`, and once
/// that calls back it runs the handler again from the start, which now finds what it needed. A handler that throws
/// this must have done nothing yet that running it again would repeat. A middleware may throw it too, before it calls
/// `next`: the chain then goes on past that middleware, which is not run again (`Middleware.handle`).
public struct Deferral: Error {
    /// Fetches what the handler needs, then calls its argument on the request's loop (with the failure, if fetching
    /// failed: the request is answered as if the handler had thrown it).
    public let prepare: @Sendable (_ done: @escaping @Sendable (Result<Void, any Error>) -> Void) -> Void

    /// A deferral that runs `prepare` first.
    public init(_ prepare: @escaping @Sendable (_ done: @escaping @Sendable (Result<Void, any Error>) -> Void) -> Void) {
        self.prepare = prepare
    }

    /// `handler`'s answer to `request`, run again once `prepare` is done, as a response that comes later; a second
    /// deferral defers again.
    func retrying(_ handler: @escaping Handler, _ request: Request, _ context: RequestContext) -> Response {
        .later(.onLoop) { complete in
            prepare { prepared in
                var context = context
                do {
                    try prepared.get()
                    complete(try handler(request, &context))
                } catch let deferral as Deferral {
                    complete(deferral.retrying(handler, request, context))
                } catch {
                    complete.fail(error)
                }
            }
        }
    }
}
