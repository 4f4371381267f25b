import HTTP
public import OpenAPI

/// `GET /ws`: a WebSocket echo endpoint, for checking that WebSockets pass through proxies to `api`.
public struct WebSocketEchoRoutes: Sendable {
    private final class Echo: WebSocketHandler {
        func received(_ message: WebSocketMessage) -> [WebSocketMessage] { [message] }
    }

    /// Echo routes.
    public init() {}

    /// Adds the route to `api`, outside the document: OpenAPI does not describe WebSocket endpoints.
    public func register(on api: inout API) {
        api.addUndocumented(.get, "/ws") { request, _ in try WebSocketHandshake.accept(request) { Echo() } }
    }
}
