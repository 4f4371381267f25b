import Glibc
@testable import HTTP
import Net
import TestKit
import Testing

/// A draining server leaves the connections still queued on its listening socket to whoever listens next (a successor
/// that took the socket over, DESIGN §13), even in the moment before its loops let go of the listeners.
@Suite struct DrainTests {
    /// The drain has begun (the flag every loop reads) but the loop has not yet let go of its listener (that comes as
    /// a task), and a client connects: the loop leaves the connection queued, for the successor to accept. (It accepted
    /// it and answered 503 before, which failed requests during restarts under load.)
    @Test func aConnectionQueuedWhenTheDrainBeginsIsLeftForTheSuccessor() throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        let server = try HTTPServer(configuration: configuration, router: Router(), observer: SilentObserver())
        defer { server.shutdown() }
        server.shared.beginDraining()
        let client = try TestClient(port: server.port)
        defer { client.close() }
        try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = client.readAvailable(timeout: 0.2)
        guard case .processed(let accepted) = try Socket.accept(server.listeningSockets[0]) else {
            Issue.record("the connection was not left queued: the old server took it and answered \(String(decoding: client.buffered, as: UTF8.self))")
            return
        }
        Socket.close(accepted)
        #expect(client.buffered.isEmpty, "the old server answered nothing")
    }
}
