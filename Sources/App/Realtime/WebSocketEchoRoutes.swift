public import HTTP
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

    private let settings: WebSocketSettings

    /// Echo routes with `settings` (`realtime`'s: 1009 past `realtime.max_message_bytes`, the ping timers).
    public init(settings: WebSocketSettings) {
        self.settings = settings
    }

    /// Adds the routes to `api`, outside the document: OpenAPI does not describe WebSocket endpoints.
    public func register(on api: inout API) {
        let settings = settings
        for path in Self.paths {
            api.addUndocumented(.get, path) { request, _ in
                try WebSocketHandshake.accept(request, settings: settings) { Echo() }
            }
        }
    }
}
