import Bench
import Testing

/// The bench's client side of RFC 6455 §5: server frames read in any split, fragments reassembled around control
/// frames, and what a client must refuse refused; the frames it sends are masked (§5.3).
@Suite struct WebSocketFrameReaderTests {
    /// An unmasked server frame.
    private static func frame(_ opcode: UInt8, _ payload: [UInt8], final: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = [(final ? 0x80 : 0) | opcode]
        switch payload.count {
        case ..<126: bytes.append(UInt8(payload.count))
        case ..<65_536: bytes += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: bytes += [127, 0, 0, 0, 0] + [24, 16, 8, 0].map { UInt8((payload.count >> $0) & 0xFF) }
        }
        return bytes + payload
    }

    private static func text(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// What the reader reports, as text: `message:...`, `ping:...`, `close:CODE`.
    private static func read(_ pieces: [ArraySlice<UInt8>]) throws -> [String] {
        var reader = WebSocketFrameReader()
        var received: [String] = []
        for piece in pieces {
            try Array(piece).withUnsafeBytes { bytes in
                try reader.read(bytes) { item in
                    switch item {
                    case .message(let payload): received.append("message:" + String(decoding: payload, as: UTF8.self))
                    case .ping(let payload): received.append("ping:" + String(decoding: payload, as: UTF8.self))
                    case .close(let code): received.append("close:\(code.map(String.init) ?? "none")")
                    }
                }
            }
        }
        return received
    }

    static let long = String(repeating: "x", count: 300)
    static let huge = String(repeating: "y", count: 70_000)

    /// A conversation of every frame shape the server may send.
    static let conversation: [UInt8] = frame(0x1, text(#"{"type":"subscribed","id":"b"}"#)) + frame(0x9, text("p"))
        + frame(0x1, text("hel"), final: false) + frame(0xA, []) + frame(0x9, text("q")) + frame(0x0, text("lo "), final: false)
        + frame(0x0, text("world")) + frame(0x2, text(long)) + frame(0x1, text(huge)) + frame(0x1, []) + frame(0x8, [0x03, 0xE8])

    static let expected = [#"message:{"type":"subscribed","id":"b"}"#, "ping:p", "ping:q", "message:hello world", "message:" + long,
                           "message:" + huge, "message:", "close:1000"]

    /// Split at every point into two reads (and around the big frame, into three): the same results.
    @Test func everySplitReadsTheSameFrames() throws {
        let wire = Self.conversation
        for split in 0...wire.count where split < 400 || split > wire.count - 400 || split % 997 == 0 {
            #expect(try Self.read([wire[..<split], wire[split...]]) == Self.expected, "split at \(split)")
        }
        #expect(try Self.read(wire.indices.map { wire[$0...$0] }.prefix(500) + [wire[500...]]) == Self.expected)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let wire: [UInt8]
        let code: UInt16
        let testDescription: String
    }

    /// What a client must not accept fails the connection with the close code §7.4.1 gives it.
    @Test(arguments: [
        Refusal(wire: [0x81, 0x81, 1, 2, 3, 4, 0x41], code: 1002, testDescription: "masked frame from a server (§5.1)"),
        Refusal(wire: [0xC1, 0x00], code: 1002, testDescription: "RSV1 without an extension (§5.2)"),
        Refusal(wire: [0x83, 0x00], code: 1002, testDescription: "reserved opcode"),
        Refusal(wire: [0x09, 0x00], code: 1002, testDescription: "fragmented ping (§5.5)"),
        Refusal(wire: [0x89, 126, 0, 126] + Array(repeating: 0, count: 126), code: 1002, testDescription: "ping over 125 bytes (§5.5)"),
        Refusal(wire: [0x80, 0x01, 0x41], code: 1002, testDescription: "continuation without a message (§5.4)"),
        Refusal(wire: [0x01, 0x01, 0x41, 0x81, 0x01, 0x42], code: 1002, testDescription: "a message inside a fragmented one (§5.4)"),
        Refusal(wire: [0x88, 0x01, 0x03], code: 1002, testDescription: "close body of one byte (§5.5.1)"),
        Refusal(wire: [0x81, 127, 0x80, 0, 0, 0, 0, 0, 0, 0], code: 1002, testDescription: "64-bit length with the top bit set (§5.2)"),
        Refusal(wire: [0x81, 127, 0, 0, 0, 1, 0, 0, 0, 0], code: 1009, testDescription: "a frame too big"),
    ])
    func refusesWhatAClientMustNotAccept(_ refusal: Refusal) {
        #expect(throws: WebSocketFrameReader.ProtocolError.self) { try Self.read([refusal.wire[...]]) }
        do { _ = try Self.read([refusal.wire[...]]) } catch let error as WebSocketFrameReader.ProtocolError { #expect(error.code == refusal.code) } catch {}
    }

    /// A client frame is final, masked, has the fewest length bytes, and unmasks to the payload (§5.2, §5.3).
    @Test(arguments: [0, 5, 125, 126, 65_535, 65_536])
    func clientFramesAreMasked(length: Int) {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let frame = WebSocketClientFrame.make(.text, payload: payload, key: 0xA1B2_C3D4)
        #expect(frame[0] == 0x81)
        #expect(frame[1] & 0x80 != 0)
        let header = length < 126 ? 2 : length < 65_536 ? 4 : 10
        #expect(Int(frame[1] & 0x7F) == (length < 126 ? length : length < 65_536 ? 126 : 127))
        #expect(Array(frame[header..<(header + 4)]) == [0xA1, 0xB2, 0xC3, 0xD4])
        let unmasked = frame[(header + 4)...].enumerated().map { $0.element ^ frame[header + ($0.offset & 3)] }
        #expect(unmasked == payload)
    }

    /// `Sec-WebSocket-Key` is 16 random bytes in base64 (§4.1): 24 characters ending `==`, different each time.
    @Test func handshakeKeysAreSixteenRandomBytes() {
        let keys = (0..<100).map { _ in WebSocketClientFrame.makeHandshakeKey() }
        #expect(Set(keys).count == 100)
        for key in keys {
            #expect(key.count == 24 && key.hasSuffix("=="))
            #expect("AQgw".contains(key[key.index(key.startIndex, offsetBy: 21)]), "\(key): the last 4 bits must be 0")
        }
    }
}
