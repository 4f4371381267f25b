import Glibc
import Net
import Postgres
import Synchronization
import TestKit
import Testing

/// `PostgresLoopConnection` on real event loops (issue 21: "driven non-blocking from the event loops").
@Suite struct PostgresLoopConnectionTests {
    private final class Tally: Sendable {
        let answered = Atomic<Int>(0)
        let misplaced = Atomic<Int>(0)
        let ticks = Atomic<Int>(0)
        let ticksWhileSleeping = Atomic<Int>(-1)
    }

    /// Two loops, each with its own connection. Each sends a 300 ms `pg_sleep` and then 300 statements at once; while
    /// the sleep is in flight, the loop's 10 ms timers keep firing (it never waits for PostgreSQL), and every answer
    /// comes back in order on the loop's own thread.
    @Test(.timeLimit(.minutes(1)))
    func answersComeOnTheLoopWhichNeverWaits() throws {
        let server = try PostgresServer()
        defer { withExtendedLifetime(server) {} }   // its deinit stops it
        let group = try EventLoopGroup(count: 2)
        group.start(name: "pg-test")
        defer { group.shutdown() }
        let tallies = [Tally(), Tally()]
        let connectionString = server.socketConnectionString
        for (loop, tally) in zip(group.loops, tallies) {
            loop.execute {
                for step in 1...30 { loop.schedule(afterMilliseconds: UInt64(step * 10)) { tally.ticks.add(1, ordering: .relaxed) } }
                guard let connection = try? PostgresLoopConnection(connectionString, on: loop) else { return }
                connection.execute("SELECT pg_sleep(0.3)") { _ in tally.ticksWhileSleeping.store(tally.ticks.load(ordering: .relaxed), ordering: .relaxed) }
                for number in 0..<300 {
                    connection.execute("SELECT $1::int", [String(number)]) { result in
                        let value = (try? result.get())?.rows.first?.first ?? nil
                        let inOrder = value == String(number) && tally.answered.load(ordering: .relaxed) == number
                        if !inOrder || !loop.inEventLoop { tally.misplaced.add(1, ordering: .relaxed) }
                        tally.answered.add(1, ordering: .relaxed)
                    }
                }
            }
        }
        let deadline = TestClient.now() + 20
        while tallies.contains(where: { $0.answered.load(ordering: .relaxed) < 300 }) && TestClient.now() < deadline { usleep(10_000) }
        for tally in tallies {
            #expect(tally.answered.load(ordering: .relaxed) == 300)
            #expect(tally.misplaced.load(ordering: .relaxed) == 0, "every answer in order, on its loop")
            #expect(tally.ticksWhileSleeping.load(ordering: .relaxed) >= 10, "timers fired while the sleep was in flight: \(tally.ticksWhileSleeping.load(ordering: .relaxed)) of 29")
        }
    }
}
