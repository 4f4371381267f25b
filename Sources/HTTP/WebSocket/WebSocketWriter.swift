import Synchronization

/// Frames the server's data messages of one connection, compressed when permessage-deflate was agreed, so that they
/// reach the client in the order they were compressed.
///
/// With context takeover a compressed message may refer to the ones before it (RFC 7692 §7.2.3.2), so the client
/// must inflate them in the order the server deflated them. Messages come two ways: the handler's replies, framed on
/// the loop straight into the connection's output, and `WebSocketOutbound`'s pushes from any thread, queued on the
/// `Outbound`. Both compress under one lock, and a reply first moves the pushes still queued into the output ahead of
/// it: the wire order is the compression order. (A sender compressing a large message holds the loop's reply that
/// long.)
final class WebSocketWriter: Sendable {
    private let compression: PerMessageDeflate?
    /// Shorter messages go uncompressed (RFC 7692 §6: a sender may leave any message uncompressed).
    private let minimumCompressedBytes: Int
    /// Made with the first compressed message: a connection that sends nothing holds no zlib stream.
    private let deflater = Mutex<MessageDeflater?>(nil)

    /// A writer that compresses as `compression` says, messages of `minimumCompressedBytes` or more, or not at all.
    init(compression: PerMessageDeflate?, minimumCompressedBytes: Int = 0) {
        self.compression = compression
        self.minimumCompressedBytes = minimumCompressedBytes
    }

    /// Frames `message` and queues it on `outbound` (any thread); `false` when the queue refused it.
    func send(_ message: WebSocketMessage, on outbound: Outbound) -> Bool {
        deflater.withLock { deflater in
            var frame: [UInt8] = []
            append(message, to: &frame, deflater: &deflater)
            guard outbound.send(frame) else {
                deflater?.reset()            // the client never sees this message: the next must not refer to it
                return false
            }
            return true
        }
    }

    /// Queues Close with `code` on `outbound` after everything framed before it, even past its bound (a connection
    /// closed for falling behind still says why), then ends `outbound` (any thread): nothing is framed after it (RFC
    /// 6455 §5.5.1).
    func close(code: UInt16, on outbound: Outbound) {
        deflater.withLock { _ in
            var frame: [UInt8] = []
            WebSocketSession.writeFrame(.close, payload: WebSocketSession.closePayload(code), to: &frame)
            outbound.finish(with: frame)
        }
    }

    /// Appends the pushes queued on `outbound`, then the frames of `messages`, to `output` (the loop). Returns `false`,
    /// leaving `messages` out, when the pushes ended with the server's Close: nothing may follow it.
    func write(_ messages: [WebSocketMessage], to output: inout [UInt8], after outbound: Outbound?) -> Bool {
        deflater.withLock { deflater in
            if let queued = outbound?.takeQueued() {
                for chunk in queued.chunks { output.append(contentsOf: chunk) }
                if queued.isEnding { return false }
            }
            for message in messages { append(message, to: &output, deflater: &deflater) }
            return true
        }
    }

    /// Appends the frame of `message`, compressed when agreed (RSV1 on its only frame, RFC 7692 §6).
    private func append(_ message: WebSocketMessage, to output: inout [UInt8], deflater: inout MessageDeflater?) {
        let (opcode, payload): (WebSocketSession.Opcode, [UInt8])
        switch message {
        case .text(let text): (opcode, payload) = (.text, Array(text.utf8))
        case .binary(let bytes): (opcode, payload) = (.binary, bytes)
        }
        guard let compression, payload.count >= minimumCompressedBytes else {
            WebSocketSession.writeFrame(opcode, payload: payload, to: &output)
            return
        }
        let active = deflater ?? MessageDeflater(windowBits: compression.serverWindowBits,
                                                 contextTakeover: !compression.serverNoContextTakeover)
        deflater = active
        WebSocketSession.writeFrame(opcode, payload: active.compress(payload), isCompressed: true, to: &output)
    }
}
