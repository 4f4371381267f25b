import Synchronization

/// A fixed set of event loops, each run on its own thread once `start` is called.
public final class EventLoopGroup: Sendable {
    /// The loops, indexed by `EventLoop.index`.
    public let loops: [EventLoop]
    private let threads = Mutex<[OSThread]>([])

    /// Creates `count` loops (at least one) without starting them, so callers can prepare per-loop state first.
    public init(count: Int) throws(IOError) {
        var loops: [EventLoop] = []
        for index in 0..<max(1, count) { loops.append(try EventLoop(index: index)) }
        self.loops = loops
    }

    /// Starts a thread per loop; `setUp` runs on each loop's thread before it starts waiting.
    public func start(name: String = "loop", setUp: @escaping @Sendable (EventLoop) -> Void = { _ in }) {
        let started = loops.map { loop in
            OSThread(name: "\(name)-\(loop.index)") {
                do { try loop.run { setUp(loop) } } catch { fatalError("event loop \(loop.index) failed: \(error)") }
            }
        }
        threads.withLock { $0 = started }
    }

    /// Stops every loop after its current iteration and waits for the threads to end.
    public func shutdown() {
        for loop in loops { loop.stop() }
        for thread in threads.withLock({ $0 }) { thread.join() }
    }
}
