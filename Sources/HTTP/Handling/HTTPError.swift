public import JSON

/// An error a handler throws to choose exactly what the client sees: a status, a `detail` and headers.
public struct HTTPError: Error, Sendable {
    /// The response status.
    public var status: Status
    /// The `detail` member: a message, or Pydantic's list of problems for 422.
    public var detail: JSONValue
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`, `Allow`).
    public var headers: [HeaderPair]

    /// An error with a text detail.
    public init(_ status: Status, detail: String, headers: [HeaderPair] = []) {
        self.init(status, detail: .string(detail), headers: headers)
    }

    /// An error with any JSON detail.
    public init(_ status: Status, detail: JSONValue, headers: [HeaderPair] = []) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }

    /// The response this error renders as.
    public var response: Response {
        var body: JSONObject = [:]
        body["detail"] = detail
        var response = Response.json(status, .object(body))
        response.headers = headers
        return response
    }
}
