public import HTTP

/// `GET /ws`: a WebSocket echo endpoint, for checking that WebSockets pass through proxies to `api`.
public struct WebSocketEchoRoutes: Sendable {
    private final class Echo: WebSocketHandler {
        func received(_ message: WebSocketMessage) -> [WebSocketMessage] { [message] }
    }

    /// Echo routes.
    public init() {}

    /// Adds the routes to `router`.
    public func register(on router: inout Router) {
        router.add(.get, "/ws") { request, _ in try WebSocketHandshake.accept(request) { Echo() } }
    }
}
