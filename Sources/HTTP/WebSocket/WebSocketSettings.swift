/// What one WebSocket connection may do and when it is probed (DESIGN §11): its limits and keep-alive timers.
public struct WebSocketSettings: Sendable {
    /// The largest message a client may send, after reassembly and inflation (Close 1009 past it).
    public var maxMessageBytes = 1_048_576
    /// Bytes the server's pushes may have waiting before `WebSocketOutbound.send` refuses (the sender decides: drop,
    /// or close as realtime does with 4008).
    public var queueLimit = Outbound.defaultLimit
    /// Messages shorter than this go uncompressed even when permessage-deflate was agreed (RFC 7692 §6 lets a sender
    /// choose per message): compressing a small message costs more than it saves, and on a busy fan-out it is the
    /// server's CPU.
    public var minimumCompressedBytes = 0
    /// After this much silence from the client the server sends a Ping (RFC 6455 §5.5.2)...
    public var pingMilliseconds: UInt64 = 30_000
    /// ...and closes the connection when nothing, its Pong included, arrives within this.
    public var pongTimeoutMilliseconds: UInt64 = 10_000

    /// The defaults: 1 MiB messages, a 1 MiB queue, every agreed message compressed, a Ping after 30 s of silence
    /// and 10 s for its answer.
    public init() {}
}
