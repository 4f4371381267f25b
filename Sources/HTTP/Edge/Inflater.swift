/// Decompresses request bodies (`Content-Encoding: gzip` or `deflate`) without ever holding more than a limit.
enum Inflater {
    /// Why a body (or a WebSocket message) was not inflated.
    enum Failure: Error, Equatable {
        /// It inflates past the limit (a zip bomb stops here, having produced at most `limit` bytes).
        case tooLarge
        /// It is not valid data of its coding, is cut short, or has bytes after its end.
        case corrupt
    }

    /// `bytes` inflated from `coding`'s format; refused once the output would pass `limit` bytes.
    static func inflate(_ bytes: [UInt8], from coding: ContentCoding, limit: Int) throws(Failure) -> [UInt8] {
        let stream = InflateStream(windowBits: coding.windowBits)
        var output: [UInt8] = []
        let progress = bytes.withUnsafeBytes { input in
            Result { () throws(Failure) in try stream.inflate(input, appendingTo: &output, limit: limit) }
        }
        // Anything but an end exactly at the last byte: cut short (needs more input), or bytes after the end.
        guard try progress.get() == .ended(unused: 0) else { throw .corrupt }
        return output
    }
}
