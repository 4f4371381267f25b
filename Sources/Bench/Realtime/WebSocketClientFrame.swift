/// The frames a WebSocket client sends, and the random values its handshake and masking need (RFC 6455 §4.1, §5.2, §5.3).
package enum WebSocketClientFrame {
    /// Text, Close and Pong: all the bench ever sends.
    package enum Opcode: UInt8 {
        case text = 0x1, close = 0x8, pong = 0xA
    }

    /// One final frame of `opcode` with `payload`, masked with `key` as §5.1 requires of every client frame.
    package static func make(_ opcode: Opcode, payload: some Collection<UInt8>, key: UInt32) -> [UInt8] {
        var frame: [UInt8] = [0x80 | opcode.rawValue]
        frame.reserveCapacity(14 + payload.count)
        // §5.2: the mask bit is set, and the length takes the fewest bytes it can.
        switch payload.count {
        case ..<126:
            frame.append(0x80 | UInt8(payload.count))
        case ..<65_536:
            frame.append(0x80 | 126)
            frame.append(UInt8(payload.count >> 8))
            frame.append(UInt8(payload.count & 0xFF))
        default:
            frame.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        let mask = [UInt8(key >> 24), UInt8((key >> 16) & 0xFF), UInt8((key >> 8) & 0xFF), UInt8(key & 0xFF)]
        frame.append(contentsOf: mask)
        // §5.3: octet i of the payload is XORed with octet i mod 4 of the key.
        for (index, byte) in payload.enumerated() { frame.append(byte ^ mask[index & 3]) }
        return frame
    }

    /// A fresh masking key. §5.3 wants it unpredictable, so that script-chosen bytes never reach an intermediary as
    /// they were written (§10.3); the system's generator gives that, and the bench sends few frames.
    package static func makeMaskingKey() -> UInt32 {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }

    /// A `Sec-WebSocket-Key`: the base64 of 16 random bytes (§4.1 item 7), spelled directly in base64's alphabet,
    /// so no encoder is needed: 21 characters carry 126 random bits, the 22nd the last 2 in its high bits (so it is
    /// one of `A`, `Q`, `g`, `w`), and `==` pads the 16 bytes to a multiple of 3.
    package static func makeHandshakeKey() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var generator = SystemRandomNumberGenerator()
        let words: [UInt64] = [generator.next(), generator.next(), generator.next()]
        var key: [UInt8] = []
        for index in 0..<21 {
            key.append(alphabet[Int((words[index / 10] >> UInt64(6 * (index % 10))) & 63)])
        }
        key.append(alphabet[Int((words[2] >> 60) & 3) << 4])
        return String(decoding: key, as: UTF8.self) + "=="
    }
}
