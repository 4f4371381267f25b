import HTTP

extension ResponseCompletion {
    /// Answers with what `body` returns. A thrown `HTTPError`, or a domain error it maps (`HTTPError.mapping`),
    /// is the response; anything else is a 500 whose error goes to the log with the request id.
    func respond(_ body: () throws -> Response) {
        do {
            self(try body())
        } catch {
            if let mapped = HTTPError.mapping(error) { self(mapped.response) } else {
                self(.detail(.internalServerError, "Internal Server Error"), failure: error)
            }
        }
    }
}
