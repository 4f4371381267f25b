import Synchronization

/// The state every loop of one server shares: immutable configuration plus two atomics.
final class ServerShared: Sendable {
    let configuration: ServerConfiguration
    let router: Router
    let observer: any ServerObserver
    /// Connections open across all loops, for `maxConnections` and for knowing when a drain is done.
    let openConnections = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)

    init(configuration: ServerConfiguration, router: Router, observer: any ServerObserver) {
        self.configuration = configuration
        self.router = router
        self.observer = observer
    }

    /// `true` once shutdown began: responses then close their connections.
    var isDraining: Bool { draining.load(ordering: .relaxed) }

    func beginDraining() { draining.store(true, ordering: .relaxed) }
}
