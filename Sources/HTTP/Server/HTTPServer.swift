import Glibc
public import Net

/// An HTTP/1.1 server: one event loop per worker, each with its own SO_REUSEPORT listener and its own connections.
public final class HTTPServer: Sendable {
    /// The port actually bound (useful when the configuration asked for 0).
    public let port: Int
    /// The listening sockets, each once (loops that share one hold their own duplicate): what a successor takes over.
    /// Valid until `shutdown()` closes them.
    public let listeningSockets: [Int32]
    /// What the loops share (internal, not private: `DrainTests` begins a drain with it alone).
    let shared: ServerShared
    private let group: EventLoopGroup
    private let states: [LoopBound<LoopState>]

    /// Starts serving on `listeners` (sockets passed in by a service manager or a predecessor), else on listeners it
    /// binds; throws if an address cannot be bound. The connections' timeouts follow `time` (tests move a manual one);
    /// the shutdown grace is always real time.
    public init(configuration: ServerConfiguration, router: Router, observer: any ServerObserver,
                time: any TimeSource = SystemTime(), listeners: [Int32]? = nil) throws(IOError) {
        shared = ServerShared(configuration: configuration, router: router, observer: observer, time: time)
        let sockets: [Int32]
        if let listeners { sockets = listeners } else { sockets = try Self.bindListeners(configuration) }
        listeningSockets = sockets
        port = try Socket.localPort(sockets[0])
        group = try EventLoopGroup(count: max(1, configuration.workers))
        let shared = self.shared
        states = try zip(group.loops, Self.share(sockets, among: group.loops.count)).map { loop, owned in
            LoopBound(LoopState(loop: loop, listeners: owned, shared: shared), on: loop)
        }
        let states = self.states
        group.start(name: "http") { loop in states[loop.index].value.start() }
    }

    /// The number of event loops; a request's `context.loopIndex` is below it.
    public var loopCount: Int { states.count }

    /// The event loops, by index: other parts of the process may watch descriptors on them too (a database's sockets).
    public var eventLoops: [EventLoop] { states.map(\.owner) }

    /// Runs `task` on loop `index`'s thread, for state only that loop touches (connections it owns).
    public func execute(onLoop index: Int, _ task: @escaping @Sendable () -> Void) {
        states[index].owner.execute(task)
    }

    /// Stops accepting, calls `whileDraining` (to end what would never finish by itself, such as event streams),
    /// lets in-flight requests finish within the grace period, closes the rest, and stops the loops and the worker
    /// pool.
    public func shutdown(whileDraining: () -> Void = {}) {
        shared.beginDraining()
        for state in states { state.owner.execute { state.value.beginDraining() } }
        whileDraining()
        let deadline = MonotonicClock.milliseconds() + shared.configuration.shutdownGraceMilliseconds
        while shared.openConnections.load(ordering: .relaxed) > 0 && MonotonicClock.milliseconds() < deadline {
            usleep(2_000)
        }
        for state in states { state.owner.execute { state.value.closeAll() } }
        group.shutdown()
        shared.workerPool.shutdown()
    }

    /// Blocks SIGTERM and SIGINT (and ignores SIGPIPE) in this thread and the threads it starts later,
    /// so that `waitForTerminationSignal()` receives them; call before starting a server.
    public static func blockTerminationSignals() {
        terminationSignals.block()
    }

    /// Sleeps until SIGTERM or SIGINT arrives and returns its number.
    public static func waitForTerminationSignal() -> Int32 {
        terminationSignals.wait()
    }

    private static let terminationSignals = SignalSet([SIGTERM, SIGINT])

    /// One listener per worker on the same port: the first picks the port when 0 was asked for.
    private static func bindListeners(_ configuration: ServerConfiguration) throws(IOError) -> [Int32] {
        var listeners: [Int32] = []
        var port = configuration.port
        do {
            for _ in 0..<max(1, configuration.workers) {
                let fd = try Socket.makeListener(host: configuration.host, port: port, reusePort: true, backlog: configuration.backlog)
                listeners.append(fd)
                if port == 0 { port = try Socket.localPort(fd) }
            }
        } catch {
            listeners.forEach(Socket.close)
            throw error
        }
        return listeners
    }

    /// Which sockets each of `loops` watches: socket `j` goes to loop `j % loops`, and a loop left without one (fewer
    /// sockets than loops, as systemd passes one) watches a duplicate of another, so each loop closes only its own.
    private static func share(_ sockets: [Int32], among loops: Int) throws(IOError) -> [[Int32]] {
        try (0..<loops).map { (loop: Int) throws(IOError) -> [Int32] in
            let owned = sockets.indices.filter { $0 % loops == loop }.map { sockets[$0] }
            return owned.isEmpty ? [try Socket.duplicate(sockets[loop % sockets.count])] : owned
        }
    }
}
