import Glibc
import Postgres
import Synchronization
import TestKit
import Testing

/// `LISTEN/NOTIFY` as a doorbell (issue 21): a link's notifications arrive on its loop; it says when it listens, and
/// after the server restarts it listens again by itself and says so again, so that its owner catches up on what it
/// missed.
@Suite struct PostgresNotificationTests {
    @Test(.timeLimit(.minutes(1)))
    func notificationsArriveAndTheLinkListensAgainAfterARestart() throws {
        let server = try PostgresServer()
        defer { withExtendedLifetime(server) {} }   // its deinit stops it
        let rig = try PostgresLinkTests.Rig(server.socketConnectionString, timeoutMilliseconds: 1000)
        let received = Mutex<[String]>([])
        let listenings = Atomic<Int>(0)
        rig.onLoop { link in
            link.onNotification = { channel, payload in received.withLock { $0.append("\(channel):\(payload)") } }
            link.onListening = { listenings.add(1, ordering: .relaxed) }
            link.listen(["api_changes"])
        }
        #expect(rig.secondsUntilAnswered(within: 5) != nil)
        #expect(Self.waitUntil { listenings.load(ordering: .relaxed) == 1 }, "told once the first connection listens")
        let sender = try PostgresConnection(server.socketConnectionString)
        try sender.runBlocking("NOTIFY api_changes, 'one'")
        try sender.runBlocking("NOTIFY other_channel, 'not for us'")
        #expect(Self.waitUntil { received.withLock { $0 } == ["api_changes:one"] }, "\(received.withLock { $0 })")

        server.stop()
        try server.start()
        #expect(Self.waitUntil { listenings.load(ordering: .relaxed) == 2 }, "the link listened again by itself, with no statement of ours")
        try PostgresConnection(server.socketConnectionString).runBlocking("NOTIFY api_changes, 'two'")
        #expect(Self.waitUntil { received.withLock { $0 } == ["api_changes:one", "api_changes:two"] }, "\(received.withLock { $0 })")
    }

    private static func waitUntil(seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = TestClient.now() + seconds
        while !condition() {
            guard TestClient.now() < deadline else { return false }
            usleep(10_000)
        }
        return true
    }
}
