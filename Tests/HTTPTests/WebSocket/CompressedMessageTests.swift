import Testing
import TestKit
@testable import HTTP

/// Compressed messages (RFC 7692 §7.2) through a real session: the RFC's examples inflate and echo as the RFC writes
/// them, context takeover holds or not as agreed, RSV1 appears only where allowed, and a message that inflates past
/// the limit is closed with 1009 without ever being inflated whole.
@Suite struct CompressedMessageTests {
    /// RFC 7692 §7.2.3.1: "Hello" compressed, and the frame a server sends for it.
    static let helloData: [UInt8] = [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
    static let helloFrame: [UInt8] = [0xC1, 0x07] + helloData
    /// §7.2.3.2: "Hello" again, compressed with the first one in the window.
    static let secondHelloData: [UInt8] = [0xF2, 0x00, 0x11, 0x00, 0x00]

    final class Echo: WebSocketHandler {
        var outbound: WebSocketOutbound?
        func received(_ message: WebSocketMessage) -> [WebSocketMessage] { [message] }
        func opened(_ outbound: WebSocketOutbound) { self.outbound = outbound }
    }

    /// A session as the handshake makes it after `offer`, with `maxMessageBytes`, opened on an `Outbound` that wakes
    /// nothing.
    static func session(offer: String? = "permessage-deflate", maxMessageBytes: Int = 1 << 20, handler: Echo = Echo()) -> any UpgradedSession {
        let compression = PerMessageDeflate.negotiate(WebSocketExtension.parse(offer.map { [$0] } ?? []))
        var settings = WebSocketSettings()
        settings.maxMessageBytes = maxMessageBytes
        let session = WebSocketSession(handler: handler, settings: settings, compression: compression)
        session.opened(Outbound(limit: 1 << 20) {})
        return session
    }

    /// A masked client frame whose first byte is `first` (FIN, RSV1 and opcode as given).
    static func frame(_ first: UInt8, _ payload: [UInt8]) -> [UInt8] {
        WebSocketTests.clientFrame(opcode: first & 0x7F, payload: payload, final: first & 0x80 != 0)
    }

    static func feed(_ session: any UpgradedSession, _ input: [UInt8]) -> (output: [UInt8], open: Bool) {
        WebSocketTests.feed(session, input, step: 1 << 20)
    }

    // MARK: - The RFC's examples (§7.2.3)

    /// §7.2.3.1, 7.2.3.3-7.2.3.5: one compressed "Hello" in one frame, in two fragments, as a stored block, with BFINAL
    /// set and as two blocks: each is echoed as the one-frame form, byte for byte, whole or fed a byte at a time.
    @Test(arguments: [
        frame(0xC1, helloData),
        frame(0x41, [0xF2, 0x48, 0xCD]) + frame(0x80, [0xC9, 0xC9, 0x07, 0x00]),
        frame(0xC1, [0x00, 0x05, 0x00, 0xFA, 0xFF, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x00]),
        frame(0xC1, [0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x00]),
        frame(0xC1, [0xF2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xCA, 0xC9, 0xC9, 0x07, 0x00]),
    ])
    func theRFCsHelloIsEchoedCompressed(input: [UInt8]) throws {
        for step in [input.count, 1] {
            let (output, open) = WebSocketTests.feed(Self.session(), input, step: step)
            #expect(open)
            #expect(output == Self.helloFrame, "step \(step)")
        }
    }

    /// §7.2.3.2: with context takeover the second "Hello" is a back-reference, both ways; after a final block
    /// (§7.2.3.4) the window still holds the first message.
    @Test(arguments: [helloData, [0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x00]])
    func contextIsTakenOverBetweenMessages(first: [UInt8]) throws {
        let session = Self.session()
        let (output, open) = Self.feed(session, Self.frame(0xC1, first) + Self.frame(0xC1, Self.secondHelloData))
        #expect(open)
        #expect(output == Self.helloFrame + [0xC1, 0x05] + Self.secondHelloData)
    }

    /// `server_no_context_takeover`: every echo is compressed on its own. `client_no_context_takeover`: the window is
    /// emptied after each message, so a back-reference into the previous one is corrupt data (1007).
    @Test func noContextTakeoverHoldsEachWay() throws {
        let server = Self.session(offer: "permessage-deflate; server_no_context_takeover")
        let hellos = Self.frame(0xC1, Self.helloData) + Self.frame(0xC1, Self.helloData)
        #expect(Self.feed(server, hellos).output == Self.helloFrame + Self.helloFrame)
        let client = Self.session(offer: "permessage-deflate; client_no_context_takeover")
        let (output, open) = Self.feed(client, Self.frame(0xC1, Self.helloData) + Self.frame(0xC1, Self.secondHelloData))
        #expect(!open)
        #expect(output == Self.helloFrame + [0x88, 0x02, 0x03, 0xEF])
    }

    /// Every window a client may name, 256 bytes included (zlib inflates with any; it only deflates with 512 or more).
    @Test(arguments: 8...15)
    func everyClientWindowInflates(bits: Int) throws {
        let session = Self.session(offer: "permessage-deflate; client_max_window_bits=\(bits)")
        let (output, open) = Self.feed(session, Self.frame(0xC1, Self.helloData) + Self.frame(0xC1, Self.secondHelloData))
        #expect(open)
        #expect(output == Self.helloFrame + [0xC1, 0x05] + Self.secondHelloData)
    }

    /// An empty message compresses to one byte (§7.2.3.6), and both empty forms (that byte, or no data at all, which a
    /// zlib sender's second empty message in a row gives) inflate to nothing.
    @Test func emptyMessagesRoundTrip() throws {
        let (output, _) = Self.feed(Self.session(), Self.frame(0xC1, []) + Self.frame(0xC2, [0x00]))
        #expect(output == [0xC1, 0x01, 0x00, 0xC2, 0x01, 0x00])
    }

    /// RFC 7692 §6: RSV1 on a continuation frame, on a control frame or without the extension is a protocol error.
    @Test(arguments: [
        ("permessage-deflate", frame(0x01, Array("Hel".utf8)) + frame(0xC0, helloData)),
        ("permessage-deflate", frame(0xC9, [])),
        ("permessage-deflate", frame(0xD1, helloData)),                                     // RSV2 is never ours
        ("", frame(0xC1, helloData)),
    ])
    func misplacedCompressionBitIs1002(offer: String, input: [UInt8]) throws {
        let (output, open) = Self.feed(Self.session(offer: offer.isEmpty ? nil : offer), input)
        #expect(!open)
        #expect(output == [0x88, 0x02, 0x03, 0xEA])
    }

    @Test func dataThatDoesNotInflateIs1007() throws {
        let (output, open) = Self.feed(Self.session(), Self.frame(0xC1, [0xFF, 0xFF, 0xFF, 0xFF]))
        #expect(!open)
        #expect(output == [0x88, 0x02, 0x03, 0xEF])
    }

    // MARK: - Limits

    /// A small message that inflates past the limit is closed with 1009, fed whole or in fragments; one that inflates
    /// to exactly the limit is echoed.
    @Test func aMessageInflatingPastTheLimitIs1009() throws {
        let limit = 4_096
        let deflater = MessageDeflater(windowBits: 15, contextTakeover: false)
        let bomb = deflater.compress([UInt8](repeating: 0x61, count: 256 << 10))
        #expect(bomb.count < limit, "each frame is within the limit: only inflating passes it")
        let fragments = Self.frame(0x42, Array(bomb.prefix(10))) + Self.frame(0x80, Array(bomb.dropFirst(10)))
        for input in [Self.frame(0xC2, bomb), fragments] {
            let (output, open) = Self.feed(Self.session(maxMessageBytes: limit), input)
            #expect(!open)
            #expect(output == [0x88, 0x02, 0x03, 0xF1])
        }
        let full = deflater.compress([UInt8](repeating: 0x61, count: limit))
        let (output, open) = Self.feed(Self.session(maxMessageBytes: limit), Self.frame(0xC2, full))
        #expect(open)
        #expect(output.first == 0xC2)
    }

    /// The inflater gives up as soon as the output passes the limit: a 64 MiB bomb costs at most the limit plus a byte.
    @Test func theInflaterNeverHoldsMoreThanTheLimit() throws {
        let bomb = MessageDeflater(windowBits: 15, contextTakeover: false).compress([UInt8](repeating: 0, count: 64 << 20))
        let inflater = MessageInflater(windowBits: 15, contextTakeover: true)
        var message: [UInt8] = []
        #expect(throws: Inflater.Failure.tooLarge) {
            try bomb.withUnsafeBytes { try inflater.inflate($0, into: &message, limit: 100_000) }
        }
        #expect(message.count <= 100_001)
    }

    // MARK: - Round trips

    /// What the deflater writes, the inflater reads back, message after message and in any fragmentation, for every
    /// window the negotiation allows and with or without context takeover.
    @Test(arguments: [9, 12, 15], [true, false])
    func deflatedMessagesInflateToTheSameBytes(windowBits: Int, contextTakeover: Bool) throws {
        let deflater = MessageDeflater(windowBits: windowBits, contextTakeover: contextTakeover)
        let inflater = MessageInflater(windowBits: windowBits, contextTakeover: contextTakeover)
        var generator = SystemRandomNumberGenerator()
        let json = Array(String(repeating: #"{"id":7,"event":"updated","name":"a record"}"#, count: 200).utf8)
        let random = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for (index, message) in [json, [], Array("x".utf8), random, json, json.reversed()].enumerated() {
            let compressed = deflater.compress(message)
            var inflated: [UInt8] = []
            var offset = 0
            for size in [1, 7, 300, Int.max] where offset < compressed.count {       // fragments of varied sizes
                let end = min(compressed.count, offset + min(size, compressed.count))
                try compressed[offset..<end].withUnsafeBytes { try inflater.inflate($0, into: &inflated, limit: 1 << 20) }
                offset = end
            }
            try inflater.finish(&inflated, limit: 1 << 20)
            #expect(inflated == message, "message \(index)")
        }
        #expect(deflater.compress(json).count < json.count / 10 || !contextTakeover)
    }

    // MARK: - Order of pushes and replies

    /// A push queued from another thread goes out before a later reply, so the client inflates them in the order the
    /// server deflated them (context takeover makes the reply refer to the push).
    @Test func pushesQueuedBeforeAReplyGoOutFirst() throws {
        let handler = Echo()
        let session = Self.session(handler: handler)
        #expect(try #require(handler.outbound).send(.text("Hello")))
        let (output, open) = Self.feed(session, Self.frame(0xC1, Self.helloData))
        #expect(open)
        #expect(output == Self.helloFrame + [0xC1, 0x05] + Self.secondHelloData)
    }

    /// Once the application has closed, a reply is not sent after its Close frame.
    @Test func nothingFollowsTheApplicationsClose() throws {
        let handler = Echo()
        let session = Self.session(handler: handler)
        try #require(handler.outbound).close(code: 4000)
        let (output, open) = Self.feed(session, Self.frame(0xC1, Self.helloData))
        #expect(!open)
        #expect(output == [0x88, 0x02, 0x0F, 0xA0])
    }
}
