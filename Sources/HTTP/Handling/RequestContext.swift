/// What the server knows about a request besides the request itself; passed `inout` through middleware to the handler.
public struct RequestContext: Sendable {
    /// The request id: the client's `X-Request-ID` if short and printable, else one made here. Echoed in the response.
    public let requestID: String
    /// The client's address: the socket's peer, or behind a trusted proxy the client it names (`ClientAddress`).
    public let clientAddress: String
    /// The loop that serves the request, for per-loop state without locks.
    public let loopIndex: Int
    /// The route template that matched (`/users/{user_id}`), set by the router; nil when nothing matched.
    public var route: String?
    /// A number for the matched template, 0, 1, 2... in the order routes were added; nil when nothing matched.
    /// Per-route tables (metrics) index by it instead of hashing the template.
    public var routeNumber: Int?
    /// Path parameters of the matched route, decoded.
    public var pathParameters: [(name: String, value: String)] = []
    /// The error behind a 500, kept for the log; never shown to the client.
    public var failure: (any Error)?

    /// A context for one request.
    public init(requestID: String, clientAddress: String, loopIndex: Int) {
        self.requestID = requestID
        self.clientAddress = clientAddress
        self.loopIndex = loopIndex
    }

    /// The value of path parameter `name`, or nil.
    public func pathParameter(_ name: String) -> String? {
        pathParameters.first { $0.name == name }?.value
    }
}
