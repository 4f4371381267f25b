import CZlib

/// Compresses the server's messages on one WebSocket connection (RFC 7692 §7.2.1): each one deflated and flushed to
/// a byte boundary, keeping the window for the next message unless `server_no_context_takeover` was agreed.
/// Not thread-safe: `WebSocketWriter` holds it under its lock.
final class MessageDeflater {
    /// zlib's fastest level: a server compresses every message for every connection, so CPU matters more than the
    /// last few percent of size.
    private static let level: Int32 = 1
    /// A quarter of zlib's default hash memory (8 KiB instead of 128 KiB): with the window (2^(windowBits + 2)
    /// bytes) a connection's stream stays near 136 KiB at most, for many connections at once.
    private static let memoryLevel: Int32 = 4
    /// The sync flush's empty stored block ends every compressed message with these bytes, which are not sent.
    private static let tailLength = 4

    private var stream = z_stream()
    private let keepsContext: Bool

    /// A compressor whose window is 2^`windowBits` bytes (9...15).
    init(windowBits: Int, contextTakeover: Bool) {
        keepsContext = contextTakeover
        let status = czlib_deflate_init(&stream, Self.level, -Int32(windowBits), Self.memoryLevel)   // negative: raw deflate
        precondition(status == Z_OK, "deflateInit2 failed with \(status)")    // only for bad arguments or no memory
    }

    deinit {
        deflateEnd(&stream)
    }

    /// `payload` as a compressed message's data, its tail removed (§7.2.1).
    func compress(_ payload: [UInt8]) -> [UInt8] {
        // An empty message is one empty stored block without its tail (§7.2.3.6); a sync flush with no new input would
        // produce nothing at all.
        guard !payload.isEmpty else { return [0x00] }
        var output: [UInt8] = []
        payload.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            var room = Int(deflateBound(&stream, uLong(input.count))) + 64
            // zlib: with Z_SYNC_FLUSH, call again with more room until a call returns with room left.
            while true {
                let piece = deflateStep(room: room)
                if output.isEmpty { output = piece } else { output += piece }
                guard stream.avail_out == 0 else { break }
                room = 4_096
            }
            stream.next_in = nil                                   // the payload does not outlive this call
        }
        output.removeLast(Self.tailLength)
        if !keepsContext { reset() }
        return output
    }

    /// Forgets the messages compressed so far, so the next one refers to none of them (always allowed: a client
    /// keeps its window only to resolve references, §7.2.3.2).
    func reset() {
        deflateReset(&stream)
    }

    /// The bytes of one `deflate` call with a sync flush and `room` bytes to write to.
    private func deflateStep(room: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: room) { buffer, written in
            stream.next_out = buffer.baseAddress
            stream.avail_out = uInt(room)
            let status = deflate(&stream, Z_SYNC_FLUSH)
            precondition(status == Z_OK, "deflate with a sync flush ended with \(status)")   // Z_OK unless the stream is broken
            written = room - Int(stream.avail_out)
        }
    }
}
