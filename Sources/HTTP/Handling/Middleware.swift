/// A route handler: reads the request and its context, answers a response or throws `HTTPError`.
public typealias Handler = @Sendable (Request, inout RequestContext) throws -> Response

/// Code that runs around every request, matched or not (auth, rate limits, CORS).
public protocol Middleware: Sendable {
    /// Handles `request`, calling `next` to continue the chain (or not, to answer early).
    func handle(
        _ request: Request, _ context: inout RequestContext,
        next: (Request, inout RequestContext) throws -> Response
    ) throws -> Response
}
