import CLinux
import HTTP
import Net

/// One keep-alive connection of a bench run: sends the plan's request, reads the response, records it, and
/// starts the next; reconnects when the server closes. Owned by one worker and touched only on its loop.
final class BenchConnection: IOHandler {
    private enum Phase: Equatable { case idle, scheduled, connecting, writing(sent: Int), reading }

    // unowned(unsafe): the worker owns its connections and outlives them (LoadGenerator holds it until the loop
    // threads are joined); checked unowned would cost an atomic increment on every access, many per request.
    private unowned(unsafe) let worker: BenchWorker
    private let plan: RunPlan
    /// The connection's number over all threads: its place in the rate schedule.
    private let number: Int
    private var fd: Int32 = -1
    private var phase = Phase.idle
    private var watching: UInt32 = 0           // epoll events registered; 0 when not registered
    private var parser = ResponseParser()
    /// Latency is measured from here: the send time, or with --rate the intended send time if the connection was late.
    private var latencyStart: UInt64 = 0
    /// Timeouts are measured from here: when this request (or its connect) really began.
    private var sentAt: UInt64 = 0
    /// Requests begun on this connection, to place the next one in the rate schedule.
    private var sequence = 0

    init(worker: BenchWorker, plan: RunPlan, number: Int) {
        self.worker = worker
        self.plan = plan
        self.number = number
    }

    // MARK: - Starting requests

    /// Begins the next request: now in closed loop; with --rate at its place in the schedule.
    func next() {
        guard !worker.isStopped else { return }
        let now = MonotonicClock.nanoseconds()
        guard let interval = plan.interval else { return begin(latencyFrom: now, now: now) }
        let intended = plan.intendedTime(connection: number, sequence: sequence, interval: interval)
        // Behind schedule: the previous response came late, so the wait counts (coordinated omission, wrk2).
        if intended <= now { return begin(latencyFrom: intended, now: now) }
        phase = .scheduled
        worker.loop.schedule(afterMilliseconds: (intended - now + 500_000) / 1_000_000) { [self] in
            // The connection sat idle until the timer: lateness here is the timer's resolution, not the server's.
            let now = MonotonicClock.nanoseconds()
            begin(latencyFrom: now, now: now)
        }
    }

    private func begin(latencyFrom start: UInt64, now: UInt64) {
        phase = .idle
        guard !worker.isStopped, worker.takeAttempt() else { return }
        sequence += 1
        latencyStart = start
        sentAt = now
        parser = ResponseParser(answersHEAD: plan.answersHEAD)
        if fd < 0 { connect() } else { write(from: 0) }
    }

    private func connect() {
        do {
            fd = try Socket.connect(host: plan.address, port: plan.port)
            try worker.loop.register(fd, events: EPOLLOUT.rawValue, handler: self)
            watching = EPOLLOUT.rawValue
            phase = .connecting
        } catch {
            fail(.connect)
        }
    }

    // MARK: - Events

    func handleEvents(_ events: UInt32) {
        switch phase {
        case .connecting: connected(events)
        case .writing(let sent): write(from: sent)
        case .reading: readAvailable()
        case .idle, .scheduled: dropIdle()
        }
    }

    private func connected(_ events: UInt32) {
        guard Reachability.pendingError(fd) == 0, events & EPOLLERR.rawValue == 0 else { return fail(.connect) }
        // Closed loop times from the first byte sent, as wrk does; with --rate the schedule's time stands.
        if plan.interval == nil { latencyStart = MonotonicClock.nanoseconds() }
        write(from: 0)
    }

    private func write(from offset: Int) {
        var sent = offset
        while sent < plan.request.count {
            let result: IOResult<Int>
            do { result = try Socket.write(fd, from: UnsafeRawBufferPointer(rebasing: plan.request[sent...])) } catch { return fail(.write) }
            guard case .processed(let count) = result else {
                phase = .writing(sent: sent)
                return watch(EPOLLOUT.rawValue)
            }
            sent += count
        }
        phase = .reading
        watch(EPOLLIN.rawValue)
    }

    private func readAvailable() {
        let buffer = worker.readBuffer
        while true {
            let result: IOResult<Int>
            do { result = try Socket.read(fd, into: buffer) } catch { return fail(.read) }
            guard case .processed(let count) = result else { return }
            guard count > 0 else {
                // Only a close-delimited body may end with the connection (RFC 9112 §6.3 item 8).
                return parser.finishAtClose() ? complete(reusable: false) : fail(.read)
            }
            worker.stats.bytesRead += count
            let used: Int
            do { used = try parser.parse(UnsafeRawBufferPointer(rebasing: buffer[..<count])) } catch { return fail(.read) }
            // Bytes after the response were never asked for: the connection's framing is lost, so it is not reused.
            if parser.isComplete { return complete(reusable: used == count) }
            if count < buffer.count { return }
        }
    }

    /// Reads whatever arrives on a connection with no request out: the server closing it, or bytes nobody asked for.
    private func dropIdle() {
        guard case .wouldBlock = (try? Socket.read(fd, into: worker.readBuffer)) ?? .processed(0) else { return closeSocket() }
    }

    // MARK: - Ending requests

    private func complete(reusable: Bool) {
        let head = parser.head!   // a complete parser has read a head
        worker.stats.recordResponse(status: head.status, nanoseconds: MonotonicClock.nanoseconds() &- latencyStart)
        if !(reusable && head.allowsReuse) { closeSocket() }
        phase = .idle
        worker.attemptFinished()
        next()
    }

    private func fail(_ kind: ErrorCounts.Kind) {
        closeSocket()
        worker.stats.errors.count(kind)
        worker.stats.requests += 1
        phase = .idle
        worker.attemptFinished()
        guard kind == .connect, !worker.isStopped else { return next() }
        // A refused connect can fail inside connect(2); going through a timer keeps the stack flat, and in
        // closed loop the pause keeps a run against a dead port from spinning a core.
        phase = .scheduled
        worker.loop.schedule(afterMilliseconds: plan.interval == nil ? 10 : 0) { [self] in next() }
    }

    /// Fails the request in flight if it has waited longer than the timeout.
    func checkTimeout(now: UInt64) {
        switch phase {
        case .connecting, .writing, .reading:
            if now &- sentAt > plan.timeoutNanoseconds { fail(.timeout) }
        case .idle, .scheduled:
            break
        }
    }

    /// Closes the socket, if open, at the end of the run or of a connection that cannot be reused.
    func closeSocket() {
        guard fd >= 0 else { return }
        if watching != 0 { worker.loop.deregister(fd) }
        Socket.close(fd)
        fd = -1
        watching = 0
    }

    private func watch(_ events: UInt32) {
        guard events != watching else { return }
        do { try worker.loop.modify(fd, events: events) } catch { return fail(phase == .reading ? .read : .write) }
        watching = events
    }
}
