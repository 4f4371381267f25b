/// A server-side WebSocket connection after the handshake: frame parsing, fragmentation, control frames and the
/// closing handshake (RFC 6455 §5 and §7), strictly, and permessage-deflate when agreed (RFC 7692). Protocol errors
/// end the connection with Close 1002, invalid UTF-8 or compressed data with 1007, oversized messages with 1009.
final class WebSocketSession: UpgradedSession {
    enum Opcode: UInt8 {
        case continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA
    }

    private struct Failure: Error {
        let code: UInt16
    }

    /// RSV1: the first frame of a compressed message (RFC 7692 §6).
    private static let compressedBit: UInt8 = 0x40

    private let handler: any WebSocketHandler
    /// Largest message accepted, after reassembly of fragments and inflation.
    private let maxMessageBytes: Int
    private let compression: PerMessageDeflate?
    private let writer: WebSocketWriter
    /// Where `WebSocketOutbound` queues pushes; the replies take what is queued first (see `WebSocketWriter`).
    private var outbound: Outbound?
    /// Made with the first compressed message the client sends.
    private var inflater: MessageInflater?
    private var buffer: [UInt8] = []
    private var message: [UInt8] = []
    private var messageOpcode: Opcode?
    private var isMessageCompressed = false
    private var isClosed = false

    init(handler: any WebSocketHandler, settings: WebSocketSettings, compression: PerMessageDeflate?) {
        let maxMessageBytes = settings.maxMessageBytes
        self.handler = handler
        self.maxMessageBytes = maxMessageBytes
        self.compression = compression
        writer = WebSocketWriter(compression: compression, minimumCompressedBytes: settings.minimumCompressedBytes)
    }

    func opened(_ outbound: Outbound) {
        self.outbound = outbound
        handler.opened(WebSocketOutbound(outbound, writer: writer))
    }

    func receive(_ bytes: UnsafeRawBufferPointer, output: inout [UInt8]) -> Bool {
        guard !isClosed else { return false }
        buffer.append(contentsOf: bytes)
        do {
            var offset = 0
            while let used = try readFrame(from: offset, output: &output) {
                offset += used
                if isClosed { break }
            }
            buffer.removeSubrange(0..<offset)
        } catch {
            Self.writeFrame(.close, payload: Self.closePayload(error.code), to: &output)
            isClosed = true
        }
        return !isClosed
    }

    // MARK: - Frames (§5.2)

    /// Reads one frame at `offset`; returns its length, or nil when it has not fully arrived.
    private func readFrame(from offset: Int, output: inout [UInt8]) throws(Failure) -> Int? {
        let available = buffer.count - offset
        guard available >= 2 else { return nil }
        let first = buffer[offset], second = buffer[offset + 1]
        guard first & 0x30 == 0 else { throw Failure(code: 1002) }              // RSV2-3: no extension of ours uses them
        guard let opcode = Opcode(rawValue: first & 0x0F) else { throw Failure(code: 1002) }
        let isCompressed = first & Self.compressedBit != 0
        // RFC 7692 §6: RSV1 only when agreed, and only on a message's first frame; §6.1: control frames never.
        guard !isCompressed || (compression != nil && (opcode == .text || opcode == .binary)) else { throw Failure(code: 1002) }
        guard second & 0x80 != 0 else { throw Failure(code: 1002) }             // §5.1: clients must mask
        let isFinal = first & 0x80 != 0
        guard let (length, headerLength) = try payloadLength(at: offset, lengthCode: second & 0x7F) else { return nil }
        if opcode.rawValue >= 0x8 && (!isFinal || length > 125) { throw Failure(code: 1002) }   // §5.5
        guard length <= maxMessageBytes else { throw Failure(code: 1009) }
        let frameLength = headerLength + 4 + length
        guard available >= frameLength else { return nil }
        let payload = unmaskedPayload(at: offset + headerLength, length: length)
        try handle(opcode, isFinal: isFinal, isCompressed: isCompressed, payload: payload, output: &output)
        return frameLength
    }

    /// The `length` bytes after the 4-byte masking key at `keyOffset`, unmasked (§5.3): eight at a time, with the key
    /// repeated to eight bytes, then the rest one by one.
    private func unmaskedPayload(at keyOffset: Int, length: Int) -> [UInt8] {
        buffer.withUnsafeBytes { frame in
            let key = frame.loadUnaligned(fromByteOffset: keyOffset, as: UInt32.self)
            let wideKey = UInt64(key) | UInt64(key) << 32             // in memory: the key's bytes, twice
            let source = UnsafeRawBufferPointer(rebasing: frame[(keyOffset + 4)...])
            return [UInt8](unsafeUninitializedCapacity: length) { payload, count in
                let target = UnsafeMutableRawBufferPointer(payload)
                var index = 0
                while index + 8 <= length {
                    target.storeBytes(of: source.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ wideKey,
                                      toByteOffset: index, as: UInt64.self)
                    index += 8
                }
                while index < length {
                    payload[index] = source[index] ^ frame[keyOffset + (index & 3)]
                    index += 1
                }
                count = length
            }
        }
    }

    /// The payload length and the header size before the mask; lengths must use the minimal encoding (§5.2).
    private func payloadLength(at offset: Int, lengthCode: UInt8) throws(Failure) -> (Int, Int)? {
        switch lengthCode {
        case 126:
            guard buffer.count - offset >= 4 else { return nil }
            let length = Int(buffer[offset + 2]) << 8 | Int(buffer[offset + 3])
            guard length >= 126 else { throw Failure(code: 1002) }
            return (length, 4)
        case 127:
            guard buffer.count - offset >= 10 else { return nil }
            var length: UInt64 = 0
            for index in 2..<10 { length = length << 8 | UInt64(buffer[offset + index]) }
            guard length >> 63 == 0, length > 0xFFFF else { throw Failure(code: 1002) }
            guard length <= UInt64(maxMessageBytes) else { throw Failure(code: 1009) }
            return (Int(length), 10)
        default:
            return (Int(lengthCode), 2)
        }
    }

    // MARK: - Messages

    private func handle(_ opcode: Opcode, isFinal: Bool, isCompressed: Bool, payload: [UInt8], output: inout [UInt8]) throws(Failure) {
        switch opcode {
        case .ping:
            Self.writeFrame(.pong, payload: payload, to: &output)
        case .pong:
            break
        case .close:
            try answerClose(payload, output: &output)
        case .text, .binary:
            guard messageOpcode == nil else { throw Failure(code: 1002) }         // a new message inside a fragmented one
            messageOpcode = opcode
            isMessageCompressed = isCompressed
            try append(payload)
            if isFinal { try deliver(output: &output) }
        case .continuation:
            guard messageOpcode != nil else { throw Failure(code: 1002) }
            try append(payload)
            if isFinal { try deliver(output: &output) }
        }
    }

    /// Adds a frame's payload to the message, inflated when the message is compressed.
    private func append(_ payload: [UInt8]) throws(Failure) {
        guard isMessageCompressed else {
            guard message.count + payload.count <= maxMessageBytes else { throw Failure(code: 1009) }
            if message.isEmpty { message = payload } else { message += payload }
            return
        }
        let inflater = activeInflater()
        let outcome = payload.withUnsafeBytes { bytes in
            Result { () throws(Inflater.Failure) in try inflater.inflate(bytes, into: &message, limit: maxMessageBytes) }
        }
        try Self.check(outcome)
    }

    private func deliver(output: inout [UInt8]) throws(Failure) {
        if isMessageCompressed {
            let inflater = activeInflater()
            try Self.check(Result { () throws(Inflater.Failure) in try inflater.finish(&message, limit: maxMessageBytes) })
        }
        let received: WebSocketMessage
        if messageOpcode == .text {
            guard let text = String(validating: message, as: UTF8.self) else { throw Failure(code: 1007) }
            received = .text(text)
        } else {
            received = .binary(message)
        }
        messageOpcode = nil
        message = []
        let replies = handler.received(received)
        if !replies.isEmpty && !writer.write(replies, to: &output, after: outbound) {
            isClosed = true                                 // the application's Close went out first: nothing follows it
        }
    }

    /// The inflater, made at the first compressed message (only a connection that agreed on compression gets here).
    private func activeInflater() -> MessageInflater {
        if let inflater { return inflater }
        let windowBits = compression?.clientWindowBits ?? 15
        let made = MessageInflater(windowBits: windowBits, contextTakeover: compression?.clientNoContextTakeover != true)
        inflater = made
        return made
    }

    /// A message past the limit is 1009 (RFC 6455 §7.4.1); data that does not inflate is 1007, as inconsistent with
    /// the message (RFC 7692 §8 only says to fail the connection).
    private static func check(_ outcome: Result<Void, Inflater.Failure>) throws(Failure) {
        switch outcome {
        case .success: return
        case .failure(.tooLarge): throw Failure(code: 1009)
        case .failure(.corrupt): throw Failure(code: 1007)
        }
    }

    /// A Ping (§5.5.2) to a silent client: its Pong, or anything, keeps the connection.
    func probe(output: inout [UInt8]) -> Bool {
        guard !isClosed else { return false }
        Self.writeFrame(.ping, payload: [], to: &output)
        return true
    }

    /// Close 1001, "going away" (§7.4.1): the server is shutting down.
    func farewell(output: inout [UInt8]) {
        guard !isClosed else { return }
        Self.writeFrame(.close, payload: Self.closePayload(1001), to: &output)
        isClosed = true
    }

    /// Echoes a valid close code (§5.5.1); an invalid one is a protocol error (§7.4).
    private func answerClose(_ payload: [UInt8], output: inout [UInt8]) throws(Failure) {
        if payload.count == 1 { throw Failure(code: 1002) }
        var reply: [UInt8] = []
        if payload.count >= 2 {
            let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
            guard Self.isValidCloseCode(code) else { throw Failure(code: 1002) }
            guard String(validating: payload[2...], as: UTF8.self) != nil else { throw Failure(code: 1007) }
            reply = Self.closePayload(code)
        }
        Self.writeFrame(.close, payload: reply, to: &output)
        isClosed = true
    }

    /// 1000-1003, 1007-1014 (§7.4.1 and the IANA registry) and 3000-4999 (§7.4.2).
    static func isValidCloseCode(_ code: UInt16) -> Bool {
        (1000...1003).contains(code) || (1007...1014).contains(code) || (3000...4999).contains(code)
    }

    static func closePayload(_ code: UInt16) -> [UInt8] {
        [UInt8(code >> 8), UInt8(code & 0xFF)]
    }

    /// Appends an unmasked frame (servers never mask, §5.1), with RSV1 when `isCompressed` (RFC 7692 §6).
    static func writeFrame(_ opcode: Opcode, payload: [UInt8], isCompressed: Bool = false, to output: inout [UInt8]) {
        output.append(0x80 | (isCompressed ? compressedBit : 0) | opcode.rawValue)
        switch payload.count {
        case ..<126:
            output.append(UInt8(payload.count))
        case ..<65_536:
            output.append(126)
            output.append(UInt8(payload.count >> 8))
            output.append(UInt8(payload.count & 0xFF))
        default:
            output.append(127)
            for shift in stride(from: 56, through: 0, by: -8) { output.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        output.append(contentsOf: payload)
    }
}
