import Net

/// One thread's share of a run: its connections, its measurements and its share of a request count.
/// Created on the starting thread, then touched only on its loop's thread.
final class BenchWorker {
    let loop: EventLoop
    let plan: RunPlan
    private let control: RunControl
    private let index: Int
    private let connectionNumbers: [Int]
    private var connections: [BenchConnection] = []
    /// Measurements so far; connections add to them directly.
    var stats = WorkerStats()
    /// Shared by the connections: a read is parsed before the next one, so one buffer serves them all.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
    /// Requests this worker may still begin (Int.max for a timed run).
    private var startsLeft: Int
    private let requestQuota: Int?
    private(set) var isStopped = false

    // Timeouts and progress are checked by one sweep rather than a timer per request: cheaper on the hot path.
    private static let sweepMilliseconds: UInt64 = 50

    init(loop: EventLoop, plan: RunPlan, control: RunControl, index: Int, connectionNumbers: [Int], requestQuota: Int?) {
        self.loop = loop
        self.plan = plan
        self.control = control
        self.index = index
        self.connectionNumbers = connectionNumbers
        self.requestQuota = requestQuota
        startsLeft = requestQuota ?? .max
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Opens the connections and starts sending; runs on the loop's thread.
    func start() {
        connections = connectionNumbers.map { BenchConnection(worker: self, plan: plan, number: $0) }
        if requestQuota == 0 { return finish() }
        for connection in connections { connection.next() }
        scheduleSweep()
    }

    /// Takes one request from the quota; false when the quota is spent.
    @inline(__always)
    func takeAttempt() -> Bool {
        guard startsLeft > 0 else { return false }
        startsLeft -= 1
        return true
    }

    /// Called after each request is answered or failed; ends the worker once its quota is done.
    @inline(__always)
    func attemptFinished() {
        if let requestQuota, stats.requests >= requestQuota { finish() }
    }

    /// Stops sending, closes every connection and hands the measurements in; requests still out are not counted.
    func finish() {
        guard !isStopped else { return }
        isStopped = true
        stats.finishedAt = MonotonicClock.nanoseconds()
        for connection in connections { connection.closeSocket() }
        control.finish(worker: index, stats: stats)
        loop.stop()
    }

    private func scheduleSweep() {
        // Not strong: the loop keeps pending timers after it stops and would keep the worker alive through them.
        // Not weak: a weak reference gives the worker a side table, which slows every other reference to it.
        // unowned(unsafe) is sound because a timer runs only while the loop does, and the worker outlives the loop's run.
        loop.schedule(afterMilliseconds: Self.sweepMilliseconds) { [unowned(unsafe) self] in
            guard !isStopped else { return }
            let now = MonotonicClock.nanoseconds()
            for connection in connections { connection.checkTimeout(now: now) }
            control.publish(worker: index, requests: stats.requests, errors: stats.errors.total)
            scheduleSweep()
        }
    }
}
