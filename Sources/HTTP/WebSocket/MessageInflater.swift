/// Decompresses the client's compressed messages on one WebSocket connection (RFC 7692 §7.2.2), frame by frame as
/// they arrive, so a message that inflates past the limit is stopped there and never held whole. Loop thread only.
final class MessageInflater {
    /// The end of an empty stored block, which the sender removed from every message (§7.2.1) and which ends the
    /// message's data on a byte boundary.
    private static let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    private let stream: InflateStream
    /// `client_no_context_takeover` was agreed: each message starts with an empty window.
    private let resetsEachMessage: Bool
    /// The message's data ended its deflate stream with a final block (§7.2.3.4); what follows is not inflated.
    private var hasEnded = false
    /// The message has data so far: the tail ends data, and an empty message has none to end.
    private var hasData = false

    /// An inflater for a client that compresses with a window of `windowBits` (8...15).
    init(windowBits: Int, contextTakeover: Bool) {
        stream = InflateStream(windowBits: -Int32(windowBits))        // negative: raw deflate, no zlib header
        resetsEachMessage = !contextTakeover
    }

    /// Inflates one frame's payload of the current message, appending to `message`, which may not pass `limit`.
    func inflate(_ payload: UnsafeRawBufferPointer, into message: inout [UInt8], limit: Int) throws(Inflater.Failure) {
        // After a final block the sender appended an empty stored block (§7.2.1), of which the rest of the message
        // is the start: there is nothing more to inflate.
        guard !hasEnded else { return }
        hasData = hasData || !payload.isEmpty
        if case .ended = try stream.inflate(payload, appendingTo: &message, limit: limit) { hasEnded = true }
    }

    /// Ends the current message: inflates the tail the sender removed (a message without any data is empty, and has
    /// no data for the tail to end), then readies the window for the next message.
    func finish(_ message: inout [UInt8], limit: Int) throws(Inflater.Failure) {
        if hasData && !hasEnded {
            let progress = Self.tail.withUnsafeBytes { tail in
                Result { () throws(Inflater.Failure) in try stream.inflate(tail, appendingTo: &message, limit: limit) }
            }
            hasEnded = try progress.get() != .needsInput
        }
        if resetsEachMessage {
            stream.reset()
        } else if hasEnded {
            stream.restartKeepingWindow()
        }
        hasEnded = false
        hasData = false
    }
}
