/// A route handler: reads the request and its context, answers a response or throws `HTTPError`.
public typealias Handler = @Sendable (Request, inout RequestContext) throws -> Response

/// Code that runs around every request, matched or not (auth, rate limits, CORS).
///
/// Two stages: `handle` runs on the way in and may answer early; `finish` runs on every final response, once, whether
/// the handler answered at once or later (`Response.later`): the place to add headers or change a body, since what
/// `handle` does to the response `next` returns is lost when that response is only a deferred placeholder.
public protocol Middleware: Sendable {
    /// Handles `request`, calling `next` to continue the chain (or not, to answer early). A middleware that must
    /// wait for something before it can decide throws `Deferral` instead of calling `next`: once its `prepare` is
    /// done, the chain goes on with the next middleware (or, when `prepare` failed, the request is answered as if
    /// `handle` had thrown that failure).
    func handle(
        _ request: Request, _ context: inout RequestContext,
        next: (Request, inout RequestContext) throws -> Response
    ) throws -> Response

    /// Sees and may change the final response to `request`; the middleware added last finishes first, so the first
    /// added has the last word, as it has the first in `handle`.
    func finish(_ response: inout Response, to request: Request, context: RequestContext)
}

extension Middleware {
    /// By default the response goes out as it is.
    public func finish(_ response: inout Response, to request: Request, context: RequestContext) {}
}
