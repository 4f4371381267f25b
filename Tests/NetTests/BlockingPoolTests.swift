import Glibc
import Net
import Synchronization
import Testing

/// The bounded pool for CPU-heavy work: it runs what it accepts, and refuses work past its queue capacity.
@Suite struct BlockingPoolTests {
    /// Every accepted job runs exactly once, on the pool's threads, and `shutdown` waits for queued jobs.
    @Test(arguments: [1, 2, 4])
    func acceptedJobsAllRun(threads: Int) {
        let pool = BlockingPool(threads: threads, capacity: 10_000)
        let count = Atomic<Int>(0)
        var accepted = 0
        for _ in 0..<1_000 where pool.submit({ count.add(1, ordering: .relaxed) }) { accepted += 1 }
        pool.shutdown()
        #expect(accepted == 1_000)
        let ran = count.load(ordering: .relaxed)
        #expect(ran == 1_000)
    }

    /// With the workers busy and the queue full, `submit` returns false and the job never runs; once the workers free
    /// up, the queued jobs run; after shutdown, nothing is accepted.
    @Test func submitPastCapacityIsRefused() {
        let pool = BlockingPool(threads: 1, capacity: 2)
        let gate = Atomic<Bool>(false)
        let started = Atomic<Bool>(false)
        let ran = Mutex<[Int]>([])
        #expect(pool.submit {
            started.store(true, ordering: .relaxed)
            while !gate.load(ordering: .relaxed) { usleep(1_000) }
            ran.withLock { $0.append(0) }
        })
        let deadline = MonotonicClock.milliseconds() + 5_000
        while !started.load(ordering: .relaxed) && MonotonicClock.milliseconds() < deadline { usleep(1_000) }
        let didStart = started.load(ordering: .relaxed)
        #expect(didStart, "the first job never started")
        #expect(pool.submit { ran.withLock { $0.append(1) } })
        #expect(pool.submit { ran.withLock { $0.append(2) } })
        #expect(!pool.submit { ran.withLock { $0.append(3) } }, "a third queued job exceeds capacity 2")
        gate.store(true, ordering: .relaxed)
        pool.shutdown()
        let order = ran.withLock { $0 }
        #expect(order == [0, 1, 2])
        #expect(!pool.submit {}, "a shut-down pool accepts nothing")
    }

    /// Regression (found in review of issue 2): a pool whose last reference is dropped before `shutdown()` keeps
    /// running its queued jobs instead of leaving workers on a destroyed mutex.
    @Test func poolOutlivesItsLastReferenceUntilShutdown() {
        let ran = Atomic<Int>(0)
        do {
            let pool = BlockingPool(threads: 2, capacity: 16)
            for _ in 0..<8 { pool.submit { usleep(1_000); ran.add(1, ordering: .relaxed) } }
        }
        let deadline = TestClock.seconds() + 5
        while ran.load(ordering: .relaxed) < 8 && TestClock.seconds() < deadline { usleep(1_000) }
        #expect(ran.load(ordering: .relaxed) == 8)
    }
}

private enum TestClock {
    static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
