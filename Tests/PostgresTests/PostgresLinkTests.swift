import Dispatch
import Glibc
import Net
import Postgres
import Synchronization
import TestKit
import Testing

/// `PostgresLink` (issue 21, failures): no statement waits past its timeout, statements fail at once while the server
/// is down, and the link reconnects by itself when it is back.
@Suite struct PostgresLinkTests {
    /// The link lives on the loop; the test thread reaches it only through `ask`.
    final class Rig: @unchecked Sendable {   // `link` is touched on the loop's thread only
        let group: EventLoopGroup
        var link: PostgresLink?

        init(_ connectionString: String, timeoutMilliseconds: UInt64) throws {
            group = try EventLoopGroup(count: 1)
            group.start(name: "pg-link")
            var settings = PostgresLink.Settings()
            settings.statementTimeoutMilliseconds = timeoutMilliseconds
            settings.firstBackoffMilliseconds = 50
            settings.maximumBackoffMilliseconds = 400
            let loop = group.loops[0], chosen = settings
            let made = DispatchSemaphore(value: 0)
            loop.execute { [self] in
                link = PostgresLink(connectionString, on: loop, settings: chosen)
                made.signal()
            }
            made.wait()
        }

        deinit { group.shutdown() }

        /// Runs `body` with the link on the loop's thread, and waits for it.
        func onLoop(_ body: @escaping @Sendable (PostgresLink) -> Void) {
            let done = DispatchSemaphore(value: 0)
            group.loops[0].execute { [self] in
                body(link!)   // made in init
                done.signal()
            }
            done.wait()
        }

        /// Runs `sql` on the loop; its outcome and how long it took, in seconds.
        func ask(_ sql: String) -> (Result<PostgresResult, PostgresError>, Double) {
            let answer = Mutex<Result<PostgresResult, PostgresError>?>(nil)
            let done = DispatchSemaphore(value: 0)
            let started = TestClient.now()
            group.loops[0].execute { [self] in
                link!.execute(sql) { outcome in   // made in init
                    answer.withLock { $0 = outcome }
                    done.signal()
                }
            }
            done.wait()
            return (answer.withLock { $0! }, TestClient.now() - started)
        }

        /// Asks `SELECT 1` until it succeeds or `seconds` pass; how long that took.
        func secondsUntilAnswered(within seconds: Double) -> Double? {
            let started = TestClient.now()
            while TestClient.now() - started < seconds {
                if case .success = ask("SELECT 1").0 { return TestClient.now() - started }
                usleep(20_000)
            }
            return nil
        }
    }

    /// A statement slower than the timeout fails when the timeout passes, not when the server answers; the link
    /// then reconnects and answers the next one.
    @Test(.timeLimit(.minutes(1)))
    func noStatementWaitsPastItsTimeout() throws {
        let server = try PostgresServer()
        defer { withExtendedLifetime(server) {} }   // its deinit stops it
        let rig = try Rig(server.tcpConnectionString, timeoutMilliseconds: 300)
        #expect(rig.secondsUntilAnswered(within: 5) != nil)
        let (slow, seconds) = rig.ask("SELECT pg_sleep(5)")
        guard case .failure(let error) = slow else {
            Issue.record("pg_sleep(5) answered: \(slow)")
            return
        }
        #expect(error.kind == .connection && seconds >= 0.29 && seconds < 1.5, "\(error) after \(seconds) s")
        #expect(rig.secondsUntilAnswered(within: 5) != nil, "reconnected")
    }

    /// The server stopped: every statement fails within the timeout (most at once, the link knowing it is down); the
    /// server back: the link answers again within a few seconds, by itself.
    @Test(.timeLimit(.minutes(1)))
    func anOutageFailsFastAndTheLinkComesBack() throws {
        let server = try PostgresServer()
        defer { withExtendedLifetime(server) {} }   // its deinit stops it
        let rig = try Rig(server.socketConnectionString, timeoutMilliseconds: 1000)
        #expect(rig.secondsUntilAnswered(within: 5) != nil)
        server.stop()
        var slowest = 0.0
        for _ in 0..<20 {
            let (outcome, seconds) = rig.ask("SELECT 1")
            if case .success = outcome { Issue.record("answered while the server is stopped") }
            slowest = max(slowest, seconds)
            usleep(25_000)
        }
        #expect(slowest < 1.5, "no statement waited past its timeout: slowest \(slowest) s")
        try server.start()
        let back = rig.secondsUntilAnswered(within: 10)
        #expect(back != nil, "the link reconnected by itself")
        print("PostgresLink: slowest failure while down \(slowest) s; answered again \(back ?? -1) s after the server restarted")
    }
}
