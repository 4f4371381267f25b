import Glibc
import Net
import Synchronization
import Testing

/// The epoll loop's cross-thread entry point and its timers, on a real loop thread.
@Suite struct EventLoopTests {
    /// Runs `body` with a started one-loop group and shuts it down afterwards.
    static func withLoop<T>(_ body: (EventLoop) async throws -> T) async throws -> T {
        let group = try EventLoopGroup(count: 1)
        group.start(name: "test")
        defer { group.shutdown() }
        return try await body(group.loops[0])
    }

    /// A task given to `execute` from another thread runs on the loop's own thread.
    @Test func executeFromAnotherThreadRunsOnTheLoop() async throws {
        try await Self.withLoop { loop in
            #expect(!loop.inEventLoop)
            let ranOnLoop = await withCheckedContinuation { continuation in
                OSThread(name: "submitter") { loop.execute { continuation.resume(returning: loop.inEventLoop) } }.join()
            }
            #expect(ranOnLoop)
        }
    }

    /// Tasks from several threads all run, each thread's in the order it submitted them.
    @Test func executedTasksAllRunInSubmissionOrderPerThread() async throws {
        try await Self.withLoop { loop in
            let seen = Mutex<[Int: [Int]]>([:])
            let remaining = Atomic<Int>(4 * 500)
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let threads = (0..<4).map { thread in
                    OSThread(name: "submit-\(thread)") {
                        for index in 0..<500 {
                            loop.execute {
                                seen.withLock { $0[thread, default: []].append(index) }
                                if remaining.subtract(1, ordering: .relaxed).newValue == 0 { continuation.resume() }
                            }
                        }
                    }
                }
                threads.forEach { $0.join() }
            }
            seen.withLock { seen in
                for thread in 0..<4 { #expect(seen[thread] == Array(0..<500), "thread \(thread)") }
            }
        }
    }

    /// A scheduled timer fires on the loop, no earlier than asked; a cancelled one never fires.
    @Test func scheduledTimerFiresOnTheLoopAndCancelledOneDoesNot() async throws {
        try await Self.withLoop { loop in
            let cancelledFired = Atomic<Bool>(false)
            let started = MonotonicClock.milliseconds()
            let (elapsed, onLoop) = await withCheckedContinuation { (continuation: CheckedContinuation<(UInt64, Bool), Never>) in
                loop.execute {
                    let doomed = loop.schedule(afterMilliseconds: 30) { cancelledFired.store(true, ordering: .relaxed) }
                    loop.schedule(afterMilliseconds: 80) {
                        continuation.resume(returning: (MonotonicClock.milliseconds() - started, loop.inEventLoop))
                    }
                    loop.cancelTimer(doomed)
                }
            }
            #expect(onLoop)
            #expect(elapsed >= 80 && elapsed < 2_000, "fired after \(elapsed) ms")
            let cancelledDidFire = cancelledFired.load(ordering: .relaxed)
            #expect(!cancelledDidFire)
        }
    }
}
