/// The protocol a subscriber speaks on its connection, server-sent events or WebSocket: what it sends to subscribe,
/// and what the server's bytes mean. It decides; the `Subscriber` does the I/O.
protocol Subscription: AnyObject {
    /// The bytes that open the subscription, sent once connected.
    func openingBytes() -> [UInt8]

    /// Reads bytes from the server, telling `signal` what they meant, in order.
    /// - Throws: a failure when the server refused, or sent what cannot be followed.
    func receive(_ bytes: UnsafeRawBufferPointer, _ signal: (SubscriptionSignal) -> Void) throws(SubscriptionFailure)
}
