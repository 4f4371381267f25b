/// The protocol a subscriber speaks on its connection, server-sent events or WebSocket: what it sends to subscribe,
/// and what the server's bytes mean. It decides; the `Subscriber` does the I/O.
protocol Subscription: AnyObject {
    /// The bytes that open the subscription, sent once connected.
    func openingBytes() -> [UInt8]

    /// Reads bytes from the server, telling `signal` what they meant, in order.
    /// - Throws: a failure when the server refused, or sent what cannot be followed.
    func receive(_ bytes: UnsafeRawBufferPointer, _ signal: (SubscriptionSignal) -> Void) throws(SubscriptionFailure)
}

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

/// Why a subscription cannot go on: a few words for the report, where equal reasons are counted together.
struct SubscriptionFailure: Error {
    let reason: String
}
