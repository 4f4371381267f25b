import HTTP

/// Turns the domain errors a synchronous handler throws (a busy database, a taken email) into their
/// responses, as `ResponseCompletion.respond` does for deferred ones; other errors stay 500s.
struct ErrorMappingMiddleware: Middleware {
    func handle(
        _ request: Request, _ context: inout RequestContext, next: (Request, inout RequestContext) throws -> Response
    ) throws -> Response {
        do {
            return try next(request, &context)
        } catch {
            throw HTTPError.mapping(error) ?? error
        }
    }
}
