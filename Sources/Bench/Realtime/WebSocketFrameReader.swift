/// An incremental reader of the frames a WebSocket server sends (RFC 6455 §5), for the client side: messages
/// reassembled from their fragments, control frames handed over as they come. Fed any split of the input, it gives
/// the same results. Frames that arrive whole are read in place; only a frame split across reads is copied.
package struct WebSocketFrameReader: Sendable {
    /// What a frame, or the last fragment of a message, brought. Payloads are valid only during the callback.
    package enum Received {
        /// A whole text or binary message.
        case message(UnsafeRawBufferPointer)
        /// A ping; §5.5.2 wants a pong with the same payload.
        case ping(UnsafeRawBufferPointer)
        /// The server's Close frame, with its status code when it gave one (§5.5.1).
        case close(code: UInt16?)
    }

    /// A frame a client must not accept; §7.1.7 says to fail the connection, which the caller does with Close `code`.
    package struct ProtocolError: Error, Equatable {
        /// 1002 for a protocol error, 1009 for a message too big to take (§7.4.1).
        package let code: UInt16
        /// What was wrong, for the report.
        package let reason: String
    }

    private static let continuation: UInt8 = 0x0, text: UInt8 = 0x1, binary: UInt8 = 0x2
    private static let close: UInt8 = 0x8, ping: UInt8 = 0x9, pong: UInt8 = 0xA

    /// Bytes of a frame not yet complete, kept from the previous input.
    private var carry: [UInt8] = []
    /// The fragments of a message begun and not yet finished (§5.4), or nil between messages.
    private var fragments: [UInt8]?
    private let maxMessageBytes: Int

    /// A reader that refuses messages of more than `maxMessageBytes`.
    package init(maxMessageBytes: Int = 16 << 20) {
        self.maxMessageBytes = maxMessageBytes
    }

    /// Reads `input`, calling `receive` for each message and control frame completed in it.
    package mutating func read(_ input: UnsafeRawBufferPointer, receive: (Received) -> Void) throws(ProtocolError) {
        if carry.isEmpty {
            let used = try readFrames(input, receive: receive)
            carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[used...]))
            return
        }
        carry.append(contentsOf: input)
        var pending: [UInt8] = []
        swap(&pending, &carry)   // taken out so readFrames may mutate self
        // Array.withUnsafeBytes throws untyped errors, so the typed one travels out as a Result.
        let used = try pending.withUnsafeBytes { bytes in Result { () throws(ProtocolError) in try readFrames(bytes, receive: receive) } }.get()
        pending.removeSubrange(0..<used)
        carry = pending
    }

    /// Reads every whole frame at the start of `input`; returns how many bytes they took.
    private mutating func readFrames(_ input: UnsafeRawBufferPointer, receive: (Received) -> Void) throws(ProtocolError) -> Int {
        var offset = 0
        while let (header, payloadLength) = try Self.frameHeader(UnsafeRawBufferPointer(rebasing: input[offset...])) {
            let start = offset + header.length
            guard input.count - start >= payloadLength else { break }
            let payload = UnsafeRawBufferPointer(rebasing: input[start..<(start + payloadLength)])
            try take(header, payload: payload, receive: receive)
            offset = start + payloadLength
        }
        return offset
    }

    private struct Header {
        let isFinal: Bool
        let opcode: UInt8
        let length: Int
    }

    /// The header at the start of `bytes` and its payload length, or nil when the header has not all arrived (§5.2).
    private static func frameHeader(_ bytes: UnsafeRawBufferPointer) throws(ProtocolError) -> (Header, Int)? {
        guard bytes.count >= 2 else { return nil }
        let first = bytes[0], second = bytes[1]
        // No extension was negotiated, so the RSV bits must be 0 (§5.2).
        guard first & 0x70 == 0 else { throw ProtocolError(code: 1002, reason: "reserved bits set") }
        // §5.1: "A client MUST close a connection if it detects a masked frame."
        guard second & 0x80 == 0 else { throw ProtocolError(code: 1002, reason: "masked frame from the server") }
        let opcode = first & 0x0F, lengthCode = Int(second & 0x7F)
        let headerLength = lengthCode == 126 ? 4 : lengthCode == 127 ? 10 : 2
        guard bytes.count >= headerLength else { return nil }
        var length = lengthCode
        if lengthCode >= 126 {
            var value: UInt64 = 0
            for index in 2..<headerLength { value = value << 8 | UInt64(bytes[index]) }
            // §5.2: the most significant bit of a 64-bit length must be 0.
            guard value >> 63 == 0 else { throw ProtocolError(code: 1002, reason: "payload length with its top bit set") }
            guard value <= UInt64(Int32.max) else { throw ProtocolError(code: 1009, reason: "frame too big") }
            length = Int(value)
        }
        return (Header(isFinal: first & 0x80 != 0, opcode: opcode, length: headerLength), length)
    }

    private mutating func take(_ header: Header, payload: UnsafeRawBufferPointer, receive: (Received) -> Void) throws(ProtocolError) {
        if header.opcode >= Self.close {
            // §5.5: control frames are never fragmented and carry at most 125 bytes; they may come between fragments.
            guard header.isFinal, payload.count <= 125 else { throw ProtocolError(code: 1002, reason: "fragmented or long control frame") }
            return try takeControl(header.opcode, payload: payload, receive: receive)
        }
        switch header.opcode {
        case Self.text, Self.binary:
            guard fragments == nil else { throw ProtocolError(code: 1002, reason: "a new message inside a fragmented one") }
            if header.isFinal { return receive(.message(payload)) }
            try checkSize(payload.count)
            fragments = Array(payload)
        case Self.continuation:
            guard var message = fragments else { throw ProtocolError(code: 1002, reason: "continuation without a message") }
            fragments = nil   // so `message` holds the only reference and grows in place
            try checkSize(message.count + payload.count)
            message.append(contentsOf: payload)
            if header.isFinal { message.withUnsafeBytes { receive(.message($0)) } } else { fragments = message }
        default:
            throw ProtocolError(code: 1002, reason: "unknown opcode \(header.opcode)")
        }
    }

    private func checkSize(_ count: Int) throws(ProtocolError) {
        guard count <= maxMessageBytes else { throw ProtocolError(code: 1009, reason: "message too big") }
    }

    private func takeControl(_ opcode: UInt8, payload: UnsafeRawBufferPointer, receive: (Received) -> Void) throws(ProtocolError) {
        switch opcode {
        case Self.ping:
            receive(.ping(payload))
        case Self.pong:
            break   // unsolicited pongs are allowed and need no answer (§5.5.3)
        case Self.close:
            // §5.5.1: a body, if any, starts with a two-byte status code.
            guard payload.count != 1 else { throw ProtocolError(code: 1002, reason: "close frame of one byte") }
            receive(.close(code: payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil))
        default:
            throw ProtocolError(code: 1002, reason: "unknown opcode \(opcode)")
        }
    }
}
