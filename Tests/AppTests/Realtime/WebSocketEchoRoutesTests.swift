import AppTestKit
import Testing
import TestKit
@testable import App

/// `GET /ws` of the running application, over a real socket.
@Suite struct WebSocketEchoRoutesTests {
    /// The route upgrades with the RFC's accept value and echoes a masked frame.
    @Test func webSocketUpgradesAndEchoes() async throws {
        try await withLiveServer { server in
            let client = try server.connect()
            try client.send(try SharedTestData.httpCase("ws_upgrade_ok.http").replacingPath(with: "/ws"))
            let response = try client.readResponse()
            #expect(response.status == 101)
            #expect(response.header("sec-websocket-accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
            try client.send([0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])    // RFC 6455 §5.7 masked "Hello"
            for _ in 0..<20 where client.buffered.count < 7 { _ = client.readAvailable(timeout: 0.2) }
            #expect(client.buffered == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        }
    }
}
