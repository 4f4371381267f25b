/// One RFC 4648 base64 flavour: an alphabet and whether `=` padding is written and required.
/// Decoding is strict in every flavour: no whitespace, no foreign characters, and the unused low
/// bits of the last symbol must be zero (RFC 4648 §3.5), so each byte string has exactly one encoding.
struct Base64Codec: Sendable {
    /// RFC 4648 §4: `+` and `/`, padded. The form of `Sec-WebSocket-Accept`.
    static let standard = Base64Codec(symbols62And63: "+/", padded: true)
    /// The PHC string format's base64: the standard alphabet without padding.
    static let standardUnpadded = Base64Codec(symbols62And63: "+/", padded: false)
    /// RFC 4648 §5 without padding, as RFC 7515 §2 requires for JWS.
    static let url = Base64Codec(symbols62And63: "-_", padded: false)

    private let alphabet: [UInt8]
    /// Symbol value per byte, 0xFF for bytes outside the alphabet.
    private let values: [UInt8]
    let padded: Bool

    private init(symbols62And63: String, padded: Bool) {
        alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\(symbols62And63)".utf8)
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in alphabet.enumerated() { values[Int(symbol)] = UInt8(value) }
        self.values = values
        self.padded = padded
    }

    // MARK: - Encoding

    /// The encoded length of `count` bytes.
    func encodedCount(of count: Int) -> Int {
        padded ? (count + 2) / 3 * 4 : (count * 4 + 2) / 3
    }

    /// Encodes `bytes` as a string.
    func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: encodedCount(of: bytes.count)) { output in
            encode(bytes, into: UnsafeMutableRawBufferPointer(output))
        }
    }

    /// Writes the encoding of `bytes` to the start of `output`, which must be large enough, and
    /// returns the number of bytes written.
    func encode(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        precondition(output.count >= encodedCount(of: bytes.count), "base64 output buffer too small")
        return alphabet.withUnsafeBufferPointer { symbols in
            var written = 0
            var index = 0
            while index + 3 <= bytes.count {
                let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
                output[written] = symbols[Int(group >> 18)]
                output[written + 1] = symbols[Int(group >> 12 & 63)]
                output[written + 2] = symbols[Int(group >> 6 & 63)]
                output[written + 3] = symbols[Int(group & 63)]
                written += 4
                index += 3
            }
            let remaining = bytes.count - index
            guard remaining > 0 else { return written }
            let group = UInt32(bytes[index]) << 16 | (remaining == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            // RFC 4648 §4: 1 byte gives 2 symbols, 2 bytes give 3; padding fills the quantum to 4.
            for symbol in 0...remaining {
                output[written] = symbols[Int(group >> (18 - 6 * UInt32(symbol)) & 63)]
                written += 1
            }
            if padded {
                for _ in remaining..<3 {
                    output[written] = UInt8(ascii: "=")
                    written += 1
                }
            }
            return written
        }
    }

    // MARK: - Decoding

    /// Decodes `text`, or returns `nil` if it is not the canonical encoding of some bytes.
    func decode(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        var decodedCount: Int?
        let bytes = [UInt8](unsafeUninitializedCapacity: text.count * 3 / 4) { output, initialized in
            decodedCount = decode(text, into: UnsafeMutableRawBufferPointer(output))
            initialized = decodedCount ?? 0
        }
        return decodedCount == nil ? nil : bytes
    }

    /// Decodes `text` into the start of `output`, which must have room for `text.count * 3 / 4`
    /// bytes, and returns the number of bytes written, or `nil` if `text` is not canonical.
    /// Allocates nothing, so a JWT's segments can be decoded into stack buffers.
    func decode(_ text: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        guard let symbolCount = symbolCount(text) else { return nil }
        let byteCount = symbolCount * 3 / 4
        precondition(output.count >= byteCount, "base64 output buffer too small")
        guard decode(symbols: UnsafeRawBufferPointer(rebasing: text[..<symbolCount]), into: output) else { return nil }
        return byteCount
    }

    /// The number of data symbols in `text`, or `nil` if its length or padding is wrong.
    private func symbolCount(_ text: UnsafeRawBufferPointer) -> Int? {
        guard padded else {
            // A lone symbol in the last quantum carries only 6 bits: no encoder produces it.
            return text.count % 4 == 1 ? nil : text.count
        }
        guard text.count % 4 == 0 else { return nil }
        var count = text.count
        while count > 0, text.count - count < 2, text[count - 1] == UInt8(ascii: "=") { count -= 1 }
        return count
    }

    /// Decodes `symbols` (no padding) into `output`; `false` on a foreign or non-canonical symbol.
    private func decode(symbols: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        // Two or more symbols (one is refused earlier) always make at least one byte.
        guard let input = symbols.baseAddress, let output = output.baseAddress else { return true }
        return values.withUnsafeBufferPointer { values in
            // Raw pointers and wrapping arithmetic: the loop bounds already keep every index in range,
            // and this loop decodes every JWT payload and signature.
            let table = values.baseAddress!  // 256 entries
            var invalid: UInt8 = 0
            var written = 0
            var index = 0
            let wholeGroups = symbols.count & ~3
            while index < wholeGroups {
                let a = table[Int(input.load(fromByteOffset: index, as: UInt8.self))]
                let b = table[Int(input.load(fromByteOffset: index &+ 1, as: UInt8.self))]
                let c = table[Int(input.load(fromByteOffset: index &+ 2, as: UInt8.self))]
                let d = table[Int(input.load(fromByteOffset: index &+ 3, as: UInt8.self))]
                invalid |= a | b | c | d
                let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                output.storeBytes(of: UInt8(truncatingIfNeeded: group >> 16), toByteOffset: written, as: UInt8.self)
                output.storeBytes(of: UInt8(truncatingIfNeeded: group >> 8), toByteOffset: written &+ 1, as: UInt8.self)
                output.storeBytes(of: UInt8(truncatingIfNeeded: group), toByteOffset: written &+ 2, as: UInt8.self)
                written &+= 3
                index &+= 4
            }
            let remaining = symbols.count - index
            guard remaining > 0 else { return invalid & 0x80 == 0 }
            var group: UInt32 = 0
            for offset in 0..<remaining {
                let value = table[Int(input.load(fromByteOffset: index + offset, as: UInt8.self))]
                invalid |= value
                group |= UInt32(value & 63) << (18 - 6 * UInt32(offset))
            }
            // RFC 4648 §3.5: the bits past the last whole byte must be zero in a canonical encoding.
            let leftover = remaining == 2 ? group & 0xFFFF : group & 0xFF
            guard invalid & 0x80 == 0, leftover == 0 else { return false }
            for offset in 0..<(remaining - 1) {
                output.storeBytes(of: UInt8(truncatingIfNeeded: group >> (16 - 8 * UInt32(offset))),
                                  toByteOffset: written + offset, as: UInt8.self)
            }
            return true
        }
    }
}
