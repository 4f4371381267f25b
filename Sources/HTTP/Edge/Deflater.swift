import CZlib

/// One zlib compression stream, kept and reset between bodies: `deflateInit2` allocates about 256 KiB, which a body
/// of a few KiB should not pay each time. Not thread-safe: each event loop keeps its own.
final class Deflater {
    private var stream = z_stream()
    private var coding: ContentCoding?
    private let level: Int32

    /// A compressor at zlib `level` (1 fastest ... 9 smallest).
    init(level: Int) {
        self.level = Int32(level)
    }

    deinit {
        if coding != nil { deflateEnd(&stream) }
    }

    /// `bytes` compressed whole in `coding`'s format.
    func compress(_ bytes: [UInt8], as coding: ContentCoding) -> [UInt8] {
        prepare(coding)
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let written = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out -> Int in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate with deflateBound's room ended with \(status)")
                return out.count - Int(stream.avail_out)
            }
        }
        output.removeLast(output.count - written)
        return output
    }

    /// A stream ready for a new body in `coding`'s format: reset when the format is the same, made again when not.
    private func prepare(_ wanted: ContentCoding) {
        if coding == wanted {
            deflateReset(&stream)
            return
        }
        if coding != nil { deflateEnd(&stream) }
        stream = z_stream()
        let status = czlib_deflate_init(&stream, level, wanted.windowBits, 8)        // zlib's default memLevel
        precondition(status == Z_OK, "deflateInit2 failed with \(status)")    // only for bad arguments or no memory
        coding = wanted
    }
}
