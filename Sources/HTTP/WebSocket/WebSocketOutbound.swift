/// Sends WebSocket messages to one client from any thread (RFC 6455 §5.6), framed (and compressed, when agreed) on the
/// sender's thread and queued behind an `Outbound` with its bound.
public final class WebSocketOutbound: Sendable {
    private let outbound: Outbound
    private let writer: WebSocketWriter

    init(_ outbound: Outbound, writer: WebSocketWriter) {
        self.outbound = outbound
        self.writer = writer
    }

    /// Queues `message`; `false` when the connection is closed or its queue is full (see `Outbound.send`).
    @discardableResult
    public func send(_ message: WebSocketMessage) -> Bool {
        writer.send(message, on: outbound)
    }

    /// Sends Close with `code` (§7.4; 1000 is a normal closure, 4000-4999 are the application's) after what was
    /// queued before, then closes the connection.
    public func close(code: UInt16 = 1000) {
        writer.close(code: code, on: outbound)
    }

    /// Whether sending is over (closed by this side, or the client left).
    public var isClosed: Bool { outbound.isClosed }

    /// Bytes queued and not yet handed to the connection.
    public var queuedBytes: Int { outbound.queuedBytes }
}
