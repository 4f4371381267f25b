/// The body of a `Response.streaming` response.
public struct ResponseStream: Sendable {
    /// The most bytes the stream's `Outbound` lets wait.
    public let queueLimit: Int
    /// Called on the connection's loop once the head is written, with the handle that writes the body.
    public let start: @Sendable (Outbound) -> Void
}
