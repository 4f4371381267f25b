import Bench
import HTTP
import Testing

/// The head of the server's answer to the bench's WebSocket opening request (RFC 6455 §4.1).
@Suite struct UpgradeResponseTests {
    /// A 101 is read with its Upgrade and Accept; frames after the head are left to the frame reader.
    @Test func readsASwitchAndLeavesTheFramesAfterIt() throws {
        let head = "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept:  \(WebSocketHandshake.acceptValue(for: "dGhlIHNhbXBsZSBub25jZQ=="))\r\n\r\n"
        let wire = Array((head + "\u{81}\u{0}").utf8)
        for split in 0..<head.utf8.count {
            #expect(try wire[..<split].withUnsafeBytes { try UpgradeResponse.parse($0) } == nil, "prefix of \(split)")
        }
        let response = try #require(try wire.withUnsafeBytes { try UpgradeResponse.parse($0) })
        #expect(response.status == 101)
        #expect(response.upgrade == "websocket")
        #expect(response.accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")   // RFC 6455 §1.3's example
        #expect(response.length == head.utf8.count)
    }

    /// A refusal is read for its status; what is not an HTTP/1.1 head, or never ends, is malformed.
    @Test func readsRefusalsAndRejectsGarbage() throws {
        let refusal = Array("HTTP/1.1 401 Unauthorized\r\ncontent-length: 2\r\n\r\n{}".utf8)
        #expect(try refusal.withUnsafeBytes { try UpgradeResponse.parse($0) }?.status == 401)
        #expect(throws: UpgradeResponse.Malformed.self) {
            try Array("SSH-2.0-OpenSSH\r\n\r\n".utf8).withUnsafeBytes { try UpgradeResponse.parse($0) }
        }
        #expect(throws: UpgradeResponse.Malformed.self) {
            try Array(repeating: UInt8(ascii: "a"), count: 100).withUnsafeBytes { try UpgradeResponse.parse($0, maxLength: 64) }
        }
    }
}
