@testable import Net
import Testing

/// The loop's timer heap: deadline order, cancellation, and the wait it asks epoll for.
@Suite struct TimerQueueTests {
    final class Log: @unchecked Sendable {   // used on one thread only
        var fired: [Int] = []
    }

    /// Timers fire earliest deadline first, whatever order they were scheduled in, and only once due.
    @Test(arguments: [[30, 10, 20, 5, 40], [1, 2, 3, 4, 5], [5, 4, 3, 2, 1], [7, 3, 9, 1, 8, 2, 6, 4, 5]])
    func timersFireInDeadlineOrder(deadlines: [Int]) {
        var queue = TimerQueue()
        let log = Log()
        for deadline in deadlines { _ = queue.schedule(at: UInt64(deadline)) { log.fired.append(deadline) } }
        let middle = deadlines.sorted()[deadlines.count / 2]
        for task in queue.popExpired(now: UInt64(middle)) { task() }
        #expect(log.fired == deadlines.sorted().filter { $0 <= middle })
        for task in queue.popExpired(now: 1_000) { task() }
        #expect(log.fired == deadlines.sorted())
        #expect(queue.isEmpty)
    }

    /// A cancelled timer never fires, and the others still fire in order.
    @Test func cancelledTimerNeverFires() {
        var queue = TimerQueue()
        let log = Log()
        var ids: [Int: UInt64] = [:]
        for deadline in [10, 20, 30, 40] { ids[deadline] = queue.schedule(at: UInt64(deadline)) { log.fired.append(deadline) } }
        queue.cancel(ids[10]!)          // scheduled just above
        queue.cancel(ids[30]!)
        for task in queue.popExpired(now: 100) { task() }
        #expect(log.fired == [20, 40])
        #expect(queue.isEmpty)
    }

    /// The wait until the next live timer: -1 with none, 0 when overdue, and cancelled heads are skipped.
    @Test func waitIsUntilTheNextLiveTimer() {
        var queue = TimerQueue()
        #expect(queue.millisecondsUntilNext(now: 0) == -1)
        let first = queue.schedule(at: 100) {}
        _ = queue.schedule(at: 250) {}
        #expect(queue.millisecondsUntilNext(now: 40) == 60)
        #expect(queue.millisecondsUntilNext(now: 100) == 0)
        #expect(queue.millisecondsUntilNext(now: 400) == 0)
        queue.cancel(first)
        #expect(queue.millisecondsUntilNext(now: 40) == 210)
        #expect(queue.popExpired(now: 249).isEmpty)
        #expect(queue.popExpired(now: 250).count == 1)
        #expect(queue.millisecondsUntilNext(now: 250) == -1)
    }

    /// Many timers with random deadlines come out sorted (the heap invariant holds through growth and removal).
    @Test func manyTimersComeOutSorted() {
        var queue = TimerQueue()
        let log = Log()
        var generator = SystemRandomNumberGenerator()
        let deadlines = (0..<2_000).map { _ in Int.random(in: 0..<500, using: &generator) }
        for deadline in deadlines { _ = queue.schedule(at: UInt64(deadline)) { log.fired.append(deadline) } }
        for now in Array(stride(from: 0, through: 500, by: 37)) + [500] { for task in queue.popExpired(now: UInt64(now)) { task() } }
        let isSorted = log.fired == deadlines.sorted()     // compared as a Bool: a failure must not print 4,000 numbers
        #expect(isSorted)
        #expect(log.fired.count == deadlines.count)
    }
}
