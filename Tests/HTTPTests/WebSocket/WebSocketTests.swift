import Foundation
import HTTP
import TestKit
import Testing

/// RFC 6455 against `../shared/testdata/vectors/websocket.json`: the handshake, the echo of valid frames,
/// and the close code sent for every frame a server must fail.
@Suite struct WebSocketTests {
    nonisolated(unsafe) static let vectors: [String: Any] = {   // read-only after first use
        guard let data = FileManager.default.contents(atPath: SharedTestData.vectorsDirectory + "/websocket.json"),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return root
    }()

    static func objects(_ key: String) -> [[String: Any]] { (vectors[key] as? [[String: Any]]) ?? [] }

    final class Echo: WebSocketHandler {
        func received(_ message: WebSocketMessage) -> [WebSocketMessage] { [message] }
    }

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)   // the vector file holds only hex pairs
            index = next
        }
        return bytes
    }

    /// A fresh session, as the handshake hands it to the connection.
    static func makeSession() throws -> any UpgradedSession {
        let request = try RouterClient.request("GET", "/ws/echo", headers: [
            ("Host", "h"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
        ])
        let response = try WebSocketHandshake.accept(request) { Echo() }
        return try #require(response.upgrade).makeSession()
    }

    /// A client frame: masked with `key`, as RFC 6455 §5.3 requires.
    static func clientFrame(opcode: UInt8, payload: [UInt8], final: Bool = true, key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]) -> [UInt8] {
        var frame: [UInt8] = [(final ? 0x80 : 0) | opcode]
        switch payload.count {
        case ..<126: frame.append(0x80 | UInt8(payload.count))
        case ..<65_536: frame += [0xFE, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: frame.append(0xFF); for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        frame += key
        frame += payload.enumerated().map { $0.element ^ key[$0.offset & 3] }
        return frame
    }

    /// The frame a server sends (unmasked).
    static func serverFrame(opcode: UInt8, payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [0x80 | opcode]
        switch payload.count {
        case ..<126: frame.append(UInt8(payload.count))
        case ..<65_536: frame += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: frame.append(127); for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        return frame + payload
    }

    /// Feeds `input` to `session` in pieces of `step` bytes; returns what it sent and whether it stayed open.
    static func feed(_ session: any UpgradedSession, _ input: [UInt8], step: Int) -> (output: [UInt8], open: Bool) {
        var output: [UInt8] = []
        var offset = 0
        var open = true
        while offset < input.count && open {
            let end = min(input.count, offset + step)
            open = input[offset..<end].withUnsafeBytes { session.receive($0, output: &output) }
            offset = end
        }
        return (output, open)
    }

    // MARK: - Handshake

    @Test func acceptKeyMatchesTheRFCVectors() throws {
        let vectors = Self.objects("handshake_accept")
        #expect(!vectors.isEmpty)
        for vector in vectors {
            let key = try #require(vector["sec_websocket_key"] as? String)
            #expect(WebSocketHandshake.acceptValue(for: key) == vector["sec_websocket_accept"] as? String)
        }
    }

    static let validHandshake: [(String, String)] = [
        ("Host", "server.example.com"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Origin", "http://example.com"),
        ("Sec-WebSocket-Protocol", "chat, superchat"), ("Sec-WebSocket-Version", "13"),
    ]

    static func replacing(_ name: String, with value: String?) -> [(String, String)] {
        validHandshake.compactMap { field in
            field.0 == name ? value.map { (name, $0) } : field
        }
    }

    /// Each `handshake_cases` id, as the request it describes (method, version, fields).
    static let handshakeRequests: [String: (method: String, version: String, headers: [(String, String)])] = [
        "valid": ("GET", "HTTP/1.1", validHandshake),
        "upgrade_connection_case_and_lists": ("GET", "HTTP/1.1", replacing("Upgrade", with: "WebSocket").map {
            $0.0 == "Connection" ? ("Connection", "keep-alive, Upgrade") : $0 }),
        "version_8": ("GET", "HTTP/1.1", replacing("Sec-WebSocket-Version", with: "8")),
        "missing_version": ("GET", "HTTP/1.1", replacing("Sec-WebSocket-Version", with: nil)),
        "missing_key": ("GET", "HTTP/1.1", replacing("Sec-WebSocket-Key", with: nil)),
        "key_not_16_bytes": ("GET", "HTTP/1.1", replacing("Sec-WebSocket-Key", with: "dGhlIHNhbXBsZQ==")),
        "key_not_base64": ("GET", "HTTP/1.1", replacing("Sec-WebSocket-Key", with: "!!!!!!!!!!!!!!!!!!!!!!!!")),
        "post_method": ("POST", "HTTP/1.1", validHandshake),
        "http_1_0": ("GET", "HTTP/1.0", validHandshake),
        "missing_upgrade": ("GET", "HTTP/1.1", replacing("Upgrade", with: nil)),
        "missing_host": ("GET", "HTTP/1.1", replacing("Host", with: nil)),
    ]

    /// The parametric tests below draw their cases from the vector file: a missing file or key would give them no
    /// case to run, and they would pass having checked nothing (issue 14, item 12).
    @Test(arguments: ["handshake_cases", "server_must_fail"])
    func theVectorTablesTheParametricTestsUseAreNotEmpty(key: String) {
        #expect(Self.objects(key).count >= 10, "\(key) in \(SharedTestData.vectorsDirectory)/websocket.json")
    }

    /// Every handshake case of the vector file (except `bad_origin`: `api` keeps no Origin allow-list) gets a status the
    /// file allows, through the real parser and the `/ws/echo` route; 101 carries the vector's headers.
    @Test(arguments: objects("handshake_cases").compactMap { $0["id"] as? String }.filter { $0 != "bad_origin" })
    func handshakeCaseGetsTheExpectedStatus(id: String) throws {
        let vector = try #require(Self.objects("handshake_cases").first { $0["id"] as? String == id })
        let expect = try #require(vector["expect"] as? [String: Any])
        let allowed = (expect["status"] as? [Int]) ?? [(expect["status"] as? Int) ?? -1]
        let shape = try #require(Self.handshakeRequests[id], "no request built for \(id)")
        var text = "\(shape.method) /ws/echo \(shape.version)\r\n"
        for (name, value) in shape.headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"

        let status: Int
        let headers: [HeaderPair]
        if let refusal = OfflineServer.refusal(Array(text.utf8)) {
            status = refusal
            headers = []
        } else {
            var router = Router()
            router.add(.get, "/ws/echo") { request, _ in try WebSocketHandshake.accept(request) { Echo() } }
            let request = try RouterClient.request(shape.method, "/ws/echo", headers: shape.headers, version: shape.version)
            var context = RequestContext(requestID: "t", clientAddress: "", loopIndex: 0)
            let response = router.respond(to: request, context: &context)
            status = response.status.code
            headers = response.headers
        }
        #expect(allowed.contains(status), "\(id): got \(status), vector allows \(allowed)")
        for pair in (expect["headers"] as? [[String]]) ?? [] {
            let value = headers.first { $0.name.lowercased() == pair[0].lowercased() }?.value
            #expect(value?.lowercased() == pair[1].lowercased() || (pair[0] == "Sec-WebSocket-Accept" && value == pair[1]),
                    "\(id): \(pair[0])")
        }
    }

    // MARK: - Frames

    /// Every `server_must_fail` frame makes the session send Close with the code the vector names (or, where the
    /// vector allows it, just close) and stop — whether the frame arrives whole or one byte at a time.
    @Test(arguments: objects("server_must_fail").compactMap { $0["id"] as? String })
    func frameThatMustFailClosesWithTheRightCode(id: String) throws {
        let vector = try #require(Self.objects("server_must_fail").first { $0["id"] as? String == id })
        let frame = Self.hex(try #require(vector["frame_hex"] as? String))
        let action = try #require(vector["server_action"] as? String)
        let codes = Self.closeCodes(in: action)
        let mayCloseSilently = action.hasPrefix("close connection")
        #expect(!codes.isEmpty, "no close code in \(action)")
        for step in [frame.count, 1] {
            let (output, open) = Self.feed(try Self.makeSession(), frame, step: step)
            #expect(!open, "\(id) left the connection open (step \(step))")
            if output.isEmpty && mayCloseSilently { continue }
            #expect(output.count == 4 && output[0] == 0x88 && output[1] == 2, "\(id): not a close frame: \(output.prefix(8))")
            if output.count == 4 {
                let code = Int(output[2]) << 8 | Int(output[3])
                #expect(codes.contains(code), "\(id): sent \(code), vector says \(action)")
            }
        }
    }

    /// `Close 1002 (or 1007)` -> [1002, 1007]; the first is the preferred one.
    static func closeCodes(in action: String) -> [Int] {
        var codes: [Int] = []
        var rest = Substring(action)
        while let range = rest.range(of: #"\b1\d{3}\b"#, options: .regularExpression) {
            if let code = Int(rest[range]) { codes.append(code) }
            rest = rest[range.upperBound...]
        }
        return codes
    }

    /// The RFC 5.7 masked text frame is echoed as the RFC's unmasked one; a masked Pong gets nothing back.
    @Test func exampleFramesAreEchoedOrIgnored() throws {
        let frames = Dictionary(uniqueKeysWithValues: Self.objects("example_frames").compactMap { frame -> (String, [UInt8])? in
            guard let id = frame["id"] as? String, let hex = frame["frame_hex"] as? String else { return nil }
            return (id, Self.hex(hex))
        })
        let maskedHello = try #require(frames["masked_text_hello"])
        let unmaskedHello = try #require(frames["unmasked_text_hello"])
        for step in [maskedHello.count, 1] {
            let (output, open) = Self.feed(try Self.makeSession(), maskedHello, step: step)
            #expect(open)
            #expect(output == unmaskedHello)
        }
        let (pongOutput, pongOpen) = Self.feed(try Self.makeSession(), try #require(frames["masked_pong_hello"]), step: 100)
        #expect(pongOpen)
        #expect(pongOutput.isEmpty)
    }

    /// Fragments (RFC 5.7 "Hel" + "lo", here masked) are reassembled into one message; a Ping between them is answered at once.
    @Test func fragmentedMessageIsReassembledAroundAPing() throws {
        let input = Self.clientFrame(opcode: 0x1, payload: Array("Hel".utf8), final: false)
            + Self.clientFrame(opcode: 0x9, payload: Array("Hello".utf8))
            + Self.clientFrame(opcode: 0x0, payload: Array("lo".utf8))
        for step in [input.count, 1, 5] {
            let (output, open) = Self.feed(try Self.makeSession(), input, step: step)
            #expect(open)
            let pong = Self.hex("8a0548656c6c6f")            // RFC 5.7's Pong, unmasked
            let hello = Self.hex("810548656c6c6f")           // RFC 5.7's "Hello", unmasked
            #expect(output == pong + hello, "step \(step)")
        }
    }

    /// Binary messages of every length encoding (7-bit, 16-bit, 64-bit) are echoed with the same, minimal encoding.
    @Test(arguments: [0, 125, 126, 256, 65_535, 65_536])
    func binaryMessageIsEchoedWithMinimalLength(length: Int) throws {
        let payload = (0..<length).map { UInt8($0 % 256) }
        let (output, open) = Self.feed(try Self.makeSession(), Self.clientFrame(opcode: 0x2, payload: payload), step: 1 << 20)
        #expect(open)
        #expect(output == Self.serverFrame(opcode: 0x2, payload: payload))
    }

    /// The vector file's 256-byte and 64 KiB masked frames echo as its unmasked headers plus the payload.
    @Test func lengthEncodingVectorsEcho() throws {
        let encodings = Self.objects("length_encodings")
        for masked in encodings where (masked["id"] as? String)?.hasSuffix("_masked") == true && (masked["id"] as? String)?.hasSuffix("_unmasked") == false {
            let id = try #require(masked["id"] as? String)
            let unmaskedID = id.replacingOccurrences(of: "_masked", with: "_unmasked")
            let unmasked = try #require(encodings.first { $0["id"] as? String == unmaskedID })
            let length = try #require(masked["payload_length"] as? Int)
            let payload = (0..<length).map { UInt8($0 % 256) }
            let key = Array(Self.hex(try #require(masked["header_hex"] as? String)).suffix(4))
            let frame = Self.hex(try #require(masked["header_hex"] as? String)) + payload.enumerated().map { $0.element ^ key[$0.offset & 3] }
            #expect(frame.count == masked["frame_len"] as? Int)
            let (output, open) = Self.feed(try Self.makeSession(), frame, step: 4096)
            #expect(open)
            #expect(output == Self.hex(try #require(unmasked["header_hex"] as? String)) + payload, "\(id)")
            #expect(output.count == unmasked["frame_len"] as? Int)
        }
    }

    /// A client Close is answered with the same code and ends the session; an empty Close gets an empty one.
    @Test func clientCloseIsEchoed() throws {
        for frame in Self.objects("close_frames") where frame["masked"] as? Bool == true {
            let (output, open) = Self.feed(try Self.makeSession(), Self.hex(try #require(frame["frame_hex"] as? String)), step: 100)
            #expect(!open)
            if let code = frame["code"] as? Int {
                #expect(output == [0x88, 0x02, UInt8(code >> 8), UInt8(code & 0xFF)])
            } else {
                #expect(output == [0x88, 0x00])
            }
        }
    }

    /// Every close code the vector file calls valid on the wire is echoed, not refused.
    @Test func validCloseCodesAreAccepted() throws {
        let codes = try #require((Self.vectors["close_codes"] as? [String: Any])?["valid_on_wire"] as? [Int])
        for code in codes {
            let frame = Self.clientFrame(opcode: 0x8, payload: [UInt8(code >> 8), UInt8(code & 0xFF)])
            let (output, _) = Self.feed(try Self.makeSession(), frame, step: 100)
            #expect(output == [0x88, 0x02, UInt8(code >> 8), UInt8(code & 0xFF)], "code \(code)")
        }
    }
}
