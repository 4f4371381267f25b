import AppTestKit
import Testing
import TestKit
@testable import App

/// `GET /ws/echo` (and `/ws`, where the shared conformance cases send their handshakes) of the running application,
/// over a real socket.
@Suite struct WebSocketEchoRoutesTests {
    /// RFC 6455 §5.7's masked "Hello", and the unmasked frame a server sends for it.
    static let maskedHello: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
    static let hello: [UInt8] = [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]

    /// The route upgrades with the RFC's accept value and echoes a masked frame.
    @Test(arguments: WebSocketEchoRoutes.paths)
    func webSocketUpgradesAndEchoes(path: String) async throws {
        try await withLiveServer { server in
            let client = try Self.upgrade(try server.connect(), path: path)
            try client.send(Self.maskedHello)
            #expect(Self.read(Self.hello.count, from: client) == Self.hello)
        }
    }

    /// `realtime.max_message_bytes` is the echo's limit: a message of that size is echoed, one byte more is Close 1009.
    @Test func theConfiguredMaximumMessageSizeHolds() async throws {
        try await withLiveServer({ $0.realtime.maxMessageBytes = 200 }) { server in
            let client = try Self.upgrade(try server.connect(), path: "/ws/echo")
            let key: [UInt8] = [1, 2, 3, 4]                  // zeros masked with it arrive as the key, repeated
            try client.send([0x82, 0xFE, 0x00, 200] + key + [UInt8](repeating: 0, count: 200))
            #expect(Self.read(204, from: client) == [0x82, 0x7E, 0x00, 200] + Array([[UInt8]](repeating: key, count: 50).joined()))
            try client.send([0x82, 0xFE, 0x00, 201] + key + [UInt8](repeating: 0, count: 201))
            #expect(Array(Self.read(208, from: client).dropFirst(204)) == [0x88, 0x02, 0x03, 0xF1])
        }
    }

    /// permessage-deflate is negotiated, and RFC 7692 §7.2.3.1's compressed "Hello" comes back compressed.
    @Test func compressedMessagesAreEchoedCompressed() async throws {
        try await withLiveServer { server in
            let client = try Self.upgrade(try server.connect(), path: "/ws/echo",
                                          extensions: "permessage-deflate; client_max_window_bits", expecting: "permessage-deflate")
            let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
            let data: [UInt8] = [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
            try client.send([0xC1, 0x80 | UInt8(data.count)] + key + data.enumerated().map { $0.element ^ key[$0.offset & 3] })
            #expect(Self.read(9, from: client) == [0xC1, 0x07] + data)
        }
    }

    /// Sends the shared valid handshake to `path`, with `extensions` offered, and checks the 101 and the extension
    /// the server accepted.
    static func upgrade(_ client: TestClient, path: String, extensions: String? = nil, expecting accepted: String? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> TestClient {
        var request = try SharedTestData.httpCase("ws_upgrade_ok.http").replacingPath(with: path)
        if let extensions { request.insert(contentsOf: Array("Sec-WebSocket-Extensions: \(extensions)\r\n".utf8), at: request.count - 2) }
        try client.send(request)
        let response = try client.readResponse()
        #expect(response.status == 101, sourceLocation: sourceLocation)
        #expect(response.header("sec-websocket-accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", sourceLocation: sourceLocation)
        #expect(response.header("sec-websocket-extensions") == accepted, sourceLocation: sourceLocation)
        return client
    }

    /// What the client has buffered once it holds `count` bytes, or after 4 s.
    static func read(_ count: Int, from client: TestClient) -> [UInt8] {
        for _ in 0..<20 where client.buffered.count < count { _ = client.readAvailable(timeout: 0.2) }
        return client.buffered
    }
}
