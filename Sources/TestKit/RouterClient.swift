public import HTTP

/// Calls `Router.respond` directly with requests built from raw request text: the in-process tier, no socket.
public struct RouterClient: Sendable {
    /// The router under test.
    public let router: Router

    /// A client for `router`.
    public init(router: Router) {
        self.router = router
    }

    /// Answers `method target` (HTTP/1.1, `Host: test`, plus `headers` and `body`), returning the response and the context
    /// the router left (route template, path parameters).
    public func send(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws -> (Response, RequestContext) {
        let request = try Self.request(method, target, headers: headers, body: body)
        var context = RequestContext(requestID: "test", clientAddress: "127.0.0.1", loopIndex: 0)
        let response = router.respond(to: request, context: &context)
        return (response, context)
    }

    /// A `Request` parsed from `method target HTTP/1.x` with `headers`, exactly as the server would build it.
    public static func request(
        _ method: String, _ target: String, headers: [(String, String)] = [(("Host", "test"))],
        version: String = "HTTP/1.1", body: [UInt8] = []
    ) throws -> Request {
        var text = "\(method) \(target) \(version)\r\n"
        var fields = headers
        if !fields.contains(where: { $0.0.lowercased() == "host" }) && version == "HTTP/1.1" { fields.insert(("Host", "test"), at: 0) }
        for (name, value) in fields { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { raw throws -> Request in
            guard case .complete(let head) = try RequestParser.parseHead(raw) else { throw TestKitError("incomplete head: \(text)") }
            let target = try RequestTarget(UnsafeRawBufferPointer(rebasing: raw[head.target]))
            return Request(head: head, headBytes: Array(raw[..<head.length]), target: target, body: body)
        }
    }
}
