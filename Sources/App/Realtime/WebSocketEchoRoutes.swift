import HTTP
public import OpenAPI

/// `GET /ws/echo`: a WebSocket echo endpoint, the conformance endpoint of the WebSocket implementation (DESIGN §11,
/// checked with the Autobahn suite) and a way to check that WebSockets pass through proxies to `api`. `GET /ws` is the
/// same echo, for the shared HTTP conformance cases, which send their WebSocket handshakes there.
public struct WebSocketEchoRoutes: Sendable {
    private final class Echo: WebSocketHandler {
        func received(_ message: WebSocketMessage) -> [WebSocketMessage] { [message] }
    }

    /// The paths the echo answers on.
    static let paths = ["/ws/echo", "/ws"]

    private let maxMessageBytes: Int

    /// Echo routes that close with 1009 a message over `maxMessageBytes` (`realtime.max_message_bytes`).
    public init(maxMessageBytes: Int) {
        self.maxMessageBytes = maxMessageBytes
    }

    /// Adds the routes to `api`, outside the document: OpenAPI does not describe WebSocket endpoints.
    public func register(on api: inout API) {
        let maxMessageBytes = maxMessageBytes
        for path in Self.paths {
            api.addUndocumented(.get, path) { request, _ in
                try WebSocketHandshake.accept(request, maxMessageBytes: maxMessageBytes) { Echo() }
            }
        }
    }
}
