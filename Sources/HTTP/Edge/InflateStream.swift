import CZlib

/// One zlib inflate stream fed its input in pieces, whose output never passes a limit: the core that request bodies
/// (`Inflater`) and WebSocket messages (`MessageInflater`) share. Not thread-safe: one owner at a time.
final class InflateStream {
    /// Where a piece of input left the stream.
    enum Progress: Equatable {
        /// Every byte was used and the stream goes on: it waits for more input.
        case needsInput
        /// The stream ended, `unused` bytes before the end of the piece.
        case ended(unused: Int)
    }

    /// Output is made in steps of at most this many bytes, so a small stream never reserves much.
    private static let step = 65_536

    private var stream = z_stream()

    /// A stream of `windowBits`' format, in zlib's convention: 8...15 for zlib, -8...-15 for raw deflate, +16 for gzip.
    init(windowBits: Int32) {
        let status = czlib_inflate_init(&stream, windowBits)
        precondition(status == Z_OK, "inflateInit2 failed with \(status)")    // only for bad arguments or no memory
    }

    deinit {
        inflateEnd(&stream)
    }

    /// Inflates `input`, appending to `output`. Throws `.tooLarge` once `output` passes `limit` bytes (so it never
    /// holds more than `limit` + 1: a zip bomb stops there), `.corrupt` for data that is not of the format.
    func inflate(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], limit: Int) throws(Inflater.Failure) -> Progress {
        guard let base = input.baseAddress, !input.isEmpty else { return .needsInput }
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Self.step)
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = uInt(input.count)
        defer {
            scratch.deallocate()
            stream.next_in = nil                 // the input is the caller's: nothing may point into it after this call
            stream.avail_in = 0
        }
        while true {
            let room = UnsafeMutableBufferPointer(rebasing: scratch[..<min(Self.step, limit + 1 - output.count)])
            let status = inflateStep(into: room)
            output.append(contentsOf: room[..<(room.count - Int(stream.avail_out))])
            guard output.count <= limit else { throw .tooLarge }
            switch status {
            case Z_STREAM_END:
                return .ended(unused: Int(stream.avail_in))
            case Z_OK, Z_BUF_ERROR:
                // zlib stops when the input or the room runs out; a full room may leave more output waiting.
                if stream.avail_out != 0 && stream.avail_in == 0 { return .needsInput }
            default:
                throw .corrupt
            }
        }
    }

    /// Starts a new stream with an empty window (RFC 7692's no context takeover keeps nothing between messages).
    func reset() {
        inflateReset(&stream)
    }

    /// Starts a new stream whose window is the old one's: for a sender that ended its stream with a final block while
    /// its later messages may still refer to the earlier ones (RFC 7692 §7.2.3.4 with context takeover).
    func restartKeepingWindow() {
        var window = [UInt8](repeating: 0, count: 1 << 15)      // the largest window zlib keeps
        var length: uInt = 0
        inflateGetDictionary(&stream, &window, &length)
        inflateReset(&stream)
        inflateSetDictionary(&stream, window, length)
    }

    /// One call of `inflate` into `room` (at least one byte: the output so far is within the limit).
    private func inflateStep(into room: UnsafeMutableBufferPointer<UInt8>) -> Int32 {
        stream.next_out = room.baseAddress
        stream.avail_out = uInt(room.count)
        return CZlib.inflate(&stream, Z_NO_FLUSH)
    }
}
