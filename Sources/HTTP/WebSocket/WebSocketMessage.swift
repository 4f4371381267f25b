/// A complete WebSocket data message.
public enum WebSocketMessage: Equatable, Sendable {
    /// A text message (valid UTF-8, checked on receipt).
    case text(String)
    /// A binary message.
    case binary([UInt8])
}

/// Application logic for one WebSocket connection; called on its loop, one message at a time.
public protocol WebSocketHandler: AnyObject {
    /// Handles a message and returns the messages to send back, in order.
    func received(_ message: WebSocketMessage) -> [WebSocketMessage]

    /// Called once when the connection opens, on its loop: `outbound` sends messages from any thread, whether or not
    /// the client has sent anything (a push).
    func opened(_ outbound: WebSocketOutbound)
}

extension WebSocketHandler {
    /// By default the handler only answers.
    public func opened(_ outbound: WebSocketOutbound) {}
}
