public import HTTP

/// The change log's retention and the streams' limits and timers (`realtime`, DESIGN §11).
public struct RealtimeSettings: Sendable {
    /// How long a change stays in the log (`realtime.retention_s`).
    public var retentionSeconds: Int64
    /// The most changes the log keeps (`realtime.retention_count`).
    public var retentionCount: Int
    /// Bytes a stream may have waiting before its subscriber is closed as too slow (`realtime.max_queue_bytes`).
    public var maxQueueBytes: Int
    /// The largest WebSocket message a client may send (`realtime.max_message_bytes`).
    public var maxMessageBytes: Int
    /// Between two keep-alive comments of an event stream (`realtime.heartbeat_s`).
    public var heartbeatMilliseconds: UInt64
    /// Between two pings of a WebSocket (`realtime.ping_s`).
    public var pingMilliseconds: UInt64
    /// How long a ping may go unanswered (`realtime.pong_timeout_s`).
    public var pongTimeoutMilliseconds: UInt64

    /// The settings of a WebSocket: the message size, the queue bound, the ping timers (every agreed message
    /// compressed: the echo's, for the conformance suite).
    public var webSocket: WebSocketSettings {
        var settings = WebSocketSettings()
        settings.maxMessageBytes = maxMessageBytes
        settings.queueLimit = maxQueueBytes
        settings.pingMilliseconds = pingMilliseconds
        settings.pongTimeoutMilliseconds = pongTimeoutMilliseconds
        return settings
    }

    /// The settings of `GET /realtime`: as `webSocket`, with events under 1 KiB sent uncompressed, since each is
    /// compressed per connection (the fan-out's CPU) and saves little.
    var realtimeSocket: WebSocketSettings {
        var settings = webSocket
        settings.minimumCompressedBytes = 1024
        return settings
    }
}
