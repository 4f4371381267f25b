/// Sends WebSocket messages to one client from any thread (RFC 6455 §5.6), framed on the sender's thread and
/// queued behind an `Outbound` with its bound.
public final class WebSocketOutbound: Sendable {
    private let outbound: Outbound

    init(_ outbound: Outbound) {
        self.outbound = outbound
    }

    /// Queues `message`; `false` when the connection is closed or its queue is full (see `Outbound.send`).
    @discardableResult
    public func send(_ message: WebSocketMessage) -> Bool {
        var frame: [UInt8] = []
        switch message {
        case .text(let text): WebSocketSession.writeFrame(.text, payload: Array(text.utf8), to: &frame)
        case .binary(let bytes): WebSocketSession.writeFrame(.binary, payload: bytes, to: &frame)
        }
        return outbound.send(frame)
    }

    /// Sends Close with `code` (§7.4; 1000 is a normal closure, 4000-4999 are the application's) after what was
    /// queued before, then closes the connection.
    public func close(code: UInt16 = 1000) {
        var frame: [UInt8] = []
        WebSocketSession.writeFrame(.close, payload: WebSocketSession.closePayload(code), to: &frame)
        outbound.send(frame)
        outbound.close()
    }

    /// Whether sending is over (closed by this side, or the client left).
    public var isClosed: Bool { outbound.isClosed }

    /// Bytes queued and not yet handed to the connection.
    public var queuedBytes: Int { outbound.queuedBytes }
}
