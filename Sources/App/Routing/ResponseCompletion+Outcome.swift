import HTTP

extension ResponseCompletion {
    /// Answers with what `body` returns, or fails with what it throws: the router gives that error its response
    /// (an `HTTPError`, a domain error `HTTPError.mapping` names, else a 500 logged with the request id), exactly as
    /// for a handler that throws.
    func respond(_ body: () throws -> Response) {
        do {
            self(try body())
        } catch {
            fail(error)
        }
    }
}
