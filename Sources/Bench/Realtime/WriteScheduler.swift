import Net

/// The writer of a realtime run, on a loop of its own so that reading 201s never waits behind a burst of events:
/// write *k* is due at `start + k / rate` (wrk2's constant schedule, open loop) and goes out on whichever connection
/// is free; a write due while all are busy goes out as soon as one frees. Writes still unsent when the duration ends
/// are not sent. Each acknowledged write goes into the `AckTable`.
final class WriteScheduler {
    let loop: EventLoop
    let plan: RealtimePlan
    private let control: RealtimeControl
    private var connections: [WriteConnection] = []
    private var idle: [WriteConnection] = []
    private var stats = WriteStats()
    /// Shared by the connections: each read is handed over before the next.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
    /// The next write to send.
    private var next = 0
    private var end: UInt64 = 0
    private var interval: Double = 0
    private var isWaiting = false
    /// Connections still connecting ahead of the writes, and what waits for them.
    private var unsettled = 0
    private var onSettled: (() -> Void)?
    private var isFinished = false

    // Timeouts and progress are one sweep, as in BenchWorker.
    private static let sweepMilliseconds: UInt64 = 50

    init(loop: EventLoop, plan: RealtimePlan, control: RealtimeControl) {
        self.loop = loop
        self.plan = plan
        self.control = control
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Opens the connections, then runs `ready`: the subscribers open after them, so that the writes find their
    /// connections open, and a server's limit on connections refuses subscribers (which the report shows) rather than
    /// the writes. Runs on the writer's loop.
    func connect(then ready: @escaping () -> Void) {
        connections = (0..<plan.configuration.writeConnections).map { _ in WriteConnection(scheduler: self) }
        idle = connections
        unsettled = connections.count
        onSettled = ready
        for connection in connections { connection.warm() }
    }

    /// A connection has connected, or failed to: once all have, the subscribers may open.
    func connectionSettled() {
        unsettled -= 1
        if unsettled == 0, let ready = onSettled {
            onSettled = nil
            ready()
        }
    }

    /// Starts the schedule now; runs on the writer's loop. At rate 0 there is nothing to write: done at once.
    func start() {
        let configuration = plan.configuration
        stats.startedAt = MonotonicClock.nanoseconds()
        end = stats.startedAt + configuration.durationNanoseconds
        if configuration.rate > 0 {
            interval = 1e9 / configuration.rate
            // Write k is due at k * interval, so those due strictly before the end are ceil(duration / interval).
            stats.scheduled = Int((Double(configuration.durationNanoseconds) / interval).rounded(.up))
        }
        scheduleSweep()
        pump()
    }

    /// Ends the schedule where it is (after Ctrl-C) and hands the counts in, if the writes have not ended already.
    func stop() {
        if !isFinished { finish(now: MonotonicClock.nanoseconds()) }
    }

    /// Closes the connections at the end of the run.
    func close() {
        for connection in connections { connection.close() }
        loop.stop()
    }

    // MARK: - From the connections

    func answered(_ connection: WriteConnection, number: Int, status: Int, recordID: Int64?, at time: UInt64) {
        stats.statusCounts[status, default: 0] += 1
        if let recordID {
            plan.acks.record(id: recordID, number: number, at: time)
            stats.acknowledged += 1
        } else {
            stats.failed += 1
        }
        idle.append(connection)
        pump()
    }

    func failed(_ connection: WriteConnection, _ kind: ErrorCounts.Kind) {
        stats.errors.count(kind)
        stats.failed += 1
        idle.append(connection)
        pump()
    }

    // MARK: - The schedule

    /// Sends every write that is due while a connection is free; then waits for the next one's time, or finishes.
    private func pump() {
        guard !isFinished else { return }
        let now = MonotonicClock.nanoseconds()
        while next < stats.scheduled, now < end, dueTime(next) <= now, let connection = idle.popLast() {
            connection.send(number: next, request: plan.writeRequest(number: next), now: now)
            next += 1
            stats.sent += 1
        }
        if next < stats.scheduled && now < end {
            if !idle.isEmpty && !isWaiting { waitForNext(now: now) }
        } else if idle.count == connections.count {
            finish(now: now)
        }
    }

    private func dueTime(_ number: Int) -> UInt64 {
        stats.startedAt + UInt64(Double(number) * interval)
    }

    private func waitForNext(now: UInt64) {
        let wait = min(dueTime(next), end) - now
        // Rounded up: a timer a little early would find nothing due and wait again.
        isWaiting = true
        loop.schedule(afterMilliseconds: (wait + 999_999) / 1_000_000) { [unowned(unsafe) self] in
            isWaiting = false
            pump()
        }
    }

    private func finish(now: UInt64) {
        isFinished = true
        stats.finishedAt = now
        control.publish(writes: stats.progress)
        control.finish(writes: stats)
    }

    private func scheduleSweep() {
        // unowned(unsafe), as BenchWorker's sweep: a timer runs only while the loop does, and the scheduler outlives it.
        loop.schedule(afterMilliseconds: Self.sweepMilliseconds) { [unowned(unsafe) self] in
            guard !isFinished else { return }
            let now = MonotonicClock.nanoseconds()
            for connection in connections { connection.checkTimeout(now: now, timeout: plan.configuration.timeoutNanoseconds) }
            control.publish(writes: stats.progress)
            // The end of the duration may come while every connection is busy and no timer is set.
            pump()
            scheduleSweep()
        }
    }
}
