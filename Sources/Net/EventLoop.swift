import CLinux
import Glibc
import Synchronization

/// One epoll loop on one thread: descriptors, cross-thread tasks woken by an eventfd, and timers.
///
/// Everything but `execute`, `stop` and `inEventLoop` must be called on the loop's own thread.
public final class EventLoop: @unchecked Sendable {
    /// This loop's position in its group, 0-based; used to pick per-loop state without locks.
    public let index: Int
    private let epollFD: Int32
    private let wakeFD: Int32
    private let pending = Mutex<PendingTasks>(PendingTasks())    // any thread, under the lock
    private var handlers: [(any IOHandler)?] = []                   // loop thread only, indexed by fd
    private var timers = TimerQueue()                               // loop thread only
    private var afterBatch: [() -> Void] = []                       // loop thread only
    private var isStopped = false                                   // loop thread only
    private let threadID = Atomic<UInt>(0)

    private struct PendingTasks {
        var tasks: [@Sendable () -> Void] = []
        var wakeSent = false
    }

    /// Creates the epoll instance and the eventfd that wakes it.
    public init(index: Int) throws(IOError) {
        self.index = index
        epollFD = try syscallChecked("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        wakeFD = try syscallChecked("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
        var event = clinux_epoll_event_make(wakeFD, EPOLLIN.rawValue)
        _ = try syscallChecked("epoll_ctl") { epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) }
    }

    deinit {
        Glibc.close(wakeFD)
        Glibc.close(epollFD)
    }

    // MARK: - Any thread

    /// `true` when called on this loop's thread.
    public var inEventLoop: Bool { threadID.load(ordering: .relaxed) == UInt(bitPattern: Int(bitPattern: pthread_self())) }

    /// Runs `task` on the loop's thread soon; the only way other threads reach loop-owned state.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        let mustWake = pending.withLock { state -> Bool in
            state.tasks.append(task)
            defer { state.wakeSent = true }
            return !state.wakeSent
        }
        if mustWake { _ = eventfd_write(wakeFD, 1) }
    }

    /// Makes `run()` return after the current iteration.
    public func stop() {
        execute { [unowned self] in self.isStopped = true }
    }

    // MARK: - Loop thread

    /// Watches `fd` for `events` (EPOLLIN/EPOLLOUT bits) and calls `handler` when they fire.
    public func register(_ fd: Int32, events: UInt32, handler: any IOHandler) throws(IOError) {
        var event = clinux_epoll_event_make(fd, events)
        _ = try syscallChecked("epoll_ctl") { epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) }
        let slot = Int(fd)
        if slot >= handlers.count { handlers.append(contentsOf: repeatElement(nil, count: slot - handlers.count + 64)) }
        handlers[slot] = handler
    }

    /// Changes the events watched on a registered `fd`.
    public func modify(_ fd: Int32, events: UInt32) throws(IOError) {
        var event = clinux_epoll_event_make(fd, events)
        _ = try syscallChecked("epoll_ctl") { epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event) }
    }

    /// Stops watching `fd`; call before closing it.
    public func deregister(_ fd: Int32) {
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
        handlers[Int(fd)] = nil
    }

    /// Runs `task` on this loop after `milliseconds`; returns an id for `cancelTimer`.
    @discardableResult
    public func schedule(afterMilliseconds milliseconds: UInt64, _ task: @escaping () -> Void) -> UInt64 {
        timers.schedule(at: MonotonicClock.milliseconds() + milliseconds, task)
    }

    /// Cancels a timer that has not fired yet.
    public func cancelTimer(_ id: UInt64) {
        timers.cancel(id)
    }

    /// Adds `hook`, run after every batch of events, for work best done once per wake-up (flushing logs).
    public func addAfterBatchHook(_ hook: @escaping () -> Void) {
        afterBatch.append(hook)
    }

    /// Runs `prepare` on the calling thread, which becomes the loop's thread, then waits for events
    /// and dispatches them until `stop()`.
    public func run(prepare: () -> Void = {}) throws(IOError) {
        threadID.store(UInt(bitPattern: Int(bitPattern: pthread_self())), ordering: .relaxed)
        prepare()
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while !isStopped {
            let timeout = timers.millisecondsUntilNext(now: MonotonicClock.milliseconds())
            let ready = try waitForEvents(into: &events, timeout: timeout)
            for event in events.prefix(ready) { dispatch(event) }
            drainPendingTasks()
            fireExpiredTimers()
            for hook in afterBatch { hook() }
        }
    }

    private func waitForEvents(into events: inout [epoll_event], timeout: Int32) throws(IOError) -> Int {
        let count = Int32(events.count)
        let result = try events.withUnsafeMutableBufferPointer { buffer throws(IOError) in
            try syscall("epoll_wait") { epoll_wait(epollFD, buffer.baseAddress, count, timeout) }
        }
        if case .processed(let ready) = result { return Int(ready) }
        return 0
    }

    @inline(__always)
    private func dispatch(_ event: epoll_event) {
        var event = event
        let fd = clinux_epoll_event_fd(&event)
        if fd == wakeFD {
            var value: eventfd_t = 0
            _ = eventfd_read(wakeFD, &value)
            return
        }
        handlers[Int(fd)]?.handleEvents(event.events)
    }

    /// Swaps the queue under the lock and runs the tasks outside it, so a task may call `execute`.
    private func drainPendingTasks() {
        let tasks = pending.withLock { state -> [@Sendable () -> Void] in
            state.wakeSent = false
            return state.tasks.isEmpty ? [] : swapEmpty(&state.tasks)
        }
        for task in tasks { task() }
    }

    private func fireExpiredTimers() {
        if timers.isEmpty { return }
        for task in timers.popExpired(now: MonotonicClock.milliseconds()) { task() }
    }
}

private func swapEmpty<T>(_ array: inout [T]) -> [T] {
    var taken: [T] = []
    swap(&taken, &array)
    return taken
}
