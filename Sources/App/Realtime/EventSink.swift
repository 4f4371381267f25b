/// Where a subscriber's events go, in its stream's wire form: an event stream (`EventStreamSink`) or one
/// subscription of a WebSocket (`WebSocketSink`). Used on the subscriber's loop.
protocol EventSink: AnyObject {
    /// `sse` or `websocket`, for the metrics.
    var kind: StreamKind { get }
    /// Queues event `name` with `id`, its `data` from `frames`; false when the queue cannot take it.
    func send(id: Int64, name: String, frames: ChangeFrames) -> Bool
    /// Queues `reset` at `id`: the log no longer holds what the subscriber resumed from.
    func sendReset(at id: Int64)
    /// Keeps an idle stream open through proxies.
    func heartbeat()
    /// Ends the stream, saying why.
    func end(_ reason: StreamEnd)
    /// Whether the stream has ended (the client left, or `end`).
    var isClosed: Bool { get }
    /// Bytes waiting to be written.
    var queuedBytes: Int { get }
}

/// The kinds of stream.
enum StreamKind: String, CaseIterable, Sendable {
    case sse, websocket
}

/// Why the server ends a stream.
enum StreamEnd {
    /// The subscriber fell behind; it resumes after `lastEventID`.
    case overflow(lastEventID: Int64)
    /// The caller's token expired or was revoked.
    case tokenEnded
    /// The server is shutting down, or could not read the log: reconnect.
    case goingAway
}
