/// What a subscription's bytes asked of its subscriber.
enum SubscriptionSignal {
    /// The subscription is live: events from now on reach it.
    case subscribed
    /// A `created` event for the record with this id.
    case created(recordID: Int64)
    /// Bytes to send back: a WebSocket pong, a subscribe message, the answer to a Close.
    case reply([UInt8])
    /// The server said why it will close (an SSE `overflow`, a WebSocket Close code), for the report.
    case closing(reason: String)
}
