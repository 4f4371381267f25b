import Glibc
public import HTTP
import Synchronization

/// Calls `Router.respond` directly with requests built from raw request text: the in-process tier, no socket.
public struct RouterClient: Sendable {
    /// The router under test.
    public let router: Router

    /// A client for `router`.
    public init(router: Router) {
        self.router = router
    }

    /// Answers `method target` (HTTP/1.1, `Host: test`, plus `headers` and `body`), returning the response and the context
    /// the router left (route template, path parameters). A deferred response is waited for, its work run on this thread.
    public func send(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws -> (Response, RequestContext) {
        let request = try Self.request(method, target, headers: headers, body: body)
        // Every call acts as loop 0, whose per-loop state (its database reader) takes one thread at a time.
        return Self.loopZero.withLock { _ in
            var context = RequestContext(requestID: "test", clientAddress: "127.0.0.1", loopIndex: 0)
            var response = resolved(router.respond(to: request, context: &context), &context)
            router.finish(&response, to: request, context: context)
            return (response, context)
        }
    }

    private static let loopZero = Mutex(())

    /// `response` itself, or what its deferred work delivers (polled: a test waits milliseconds at most), an error
    /// answered by the router as the server's connection does.
    private func resolved(_ response: Response, _ context: inout RequestContext) -> Response {
        guard let deferred = response.deferred else { return response }
        let delivered = Mutex<Result<Response, any Error>?>(nil)
        deferred.work(ResponseCompletion { outcome in delivered.withLock { $0 = outcome } })
        while true {
            switch delivered.withLock({ $0 }) {
            case .success(let response): return response
            case .failure(let error): return router.response(for: error, context: &context)
            case nil: usleep(100)
            }
        }
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
