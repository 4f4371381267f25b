import Dispatch
import Glibc
@testable import HTTP
import Net
import TestKit
import Testing

/// A draining server leaves the connections still queued on its listening socket to whoever listens next (a successor
/// that took the socket over, DESIGN §13), even in the moment before its loops let go of the listeners.
@Suite struct DrainTests {
    /// The drain begins while the loop is busy, so that the loop sees a queued connection only after the drain began
    /// and before its own part of it: the connection stays queued, for the successor to accept. (Accepted and answered
    /// 503 here before, which failed requests during restarts under load.)
    @Test(.timeLimit(.minutes(1)))
    func aConnectionQueuedWhenTheDrainBeginsIsLeftForTheSuccessor() throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        let server = try HTTPServer(configuration: configuration, router: Router(), observer: SilentObserver())
        defer { server.shutdown() }
        let busy = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        server.execute(onLoop: 0) {
            busy.signal()
            release.wait()
        }
        busy.wait()
        let client = try TestClient(port: server.port)
        defer { client.close() }
        try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        server.shared.beginDraining()
        release.signal()
        usleep(200_000)
        let successor = try Socket.accept(server.listeningSockets[0])
        guard case .processed(let accepted) = successor else {
            Issue.record("the connection was not left queued: the old server took it and answered \(String(decoding: client.buffered, as: UTF8.self))")
            return
        }
        Socket.close(accepted)
        #expect(client.readAvailable(timeout: 0.1).isEmpty && client.buffered.isEmpty, "the old server answered nothing")
    }
}
