import Net
import Synchronization

/// The state every loop of one server shares: immutable configuration, the worker pool, and two atomics.
final class ServerShared: Sendable {
    let configuration: ServerConfiguration
    let router: Router
    let observer: any ServerObserver
    /// The clock of the connections' deadlines.
    let time: any TimeSource
    /// Runs deferred work that would block a loop (CPU-heavy hashing); its threads run at a lower priority
    /// than the loops, so a flood of such work slows itself, not every other request.
    let workerPool: BlockingPool
    /// Connections open across all loops, for `maxConnections` and for knowing when a drain is done.
    let openConnections = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)

    init(configuration: ServerConfiguration, router: Router, observer: any ServerObserver, time: any TimeSource) {
        self.configuration = configuration
        self.router = router
        self.observer = observer
        self.time = time
        workerPool = BlockingPool(threads: configuration.workerThreads, capacity: configuration.workerQueueCapacity,
                                  niceness: Self.workerNiceness)
    }

    /// nice(1) increment of the worker threads: enough that the kernel prefers the loops when both are runnable.
    private static let workerNiceness: Int32 = 10

    /// `true` once shutdown began: responses then close their connections.
    var isDraining: Bool { draining.load(ordering: .relaxed) }

    func beginDraining() { draining.store(true, ordering: .relaxed) }
}
