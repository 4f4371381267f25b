import CZlib

/// Decompresses request bodies (`Content-Encoding: gzip` or `deflate`) without ever holding more than a limit.
enum Inflater {
    /// Why a body was not inflated.
    enum Failure: Error, Equatable {
        /// It inflates past the limit (a zip bomb stops here, having produced at most `limit` bytes).
        case tooLarge
        /// It is not valid data of its coding, is cut short, or has bytes after its end.
        case corrupt
    }

    /// `bytes` inflated from `coding`'s format; refused once the output would pass `limit` bytes.
    static func inflate(_ bytes: [UInt8], from coding: ContentCoding, limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard czlib_inflate_init(&stream, coding.windowBits) == Z_OK else { throw .corrupt }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let outcome = bytes.withUnsafeBufferPointer { input -> Result<Void, Failure> in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, out.count - Int(stream.avail_out))
                }
                guard output.count + produced <= limit else { return .failure(.tooLarge) }
                output += chunk[..<produced]
                switch status {
                case Z_STREAM_END: return stream.avail_in == 0 ? .success(()) : .failure(.corrupt)
                case Z_OK: continue
                default: return .failure(.corrupt)            // Z_BUF_ERROR here: the input ended before the stream did
                }
            }
        }
        if case .failure(let failure) = outcome { throw failure }
        return output
    }
}
