import Synchronization

/// Where the threads of a realtime run report to the thread that started it: progress while running (a few times a
/// second, never per event), results at the end.
final class RealtimeControl: Sendable {
    private struct State {
        var subscribers: [SubscriberProgress]
        var writes = WriteProgress()
        var subscriberResults: [SubscriberStats?]
        var writeResult: WriteStats?
    }

    private let state: Mutex<State>

    init(workers: Int) {
        state = Mutex(State(subscribers: Array(repeating: SubscriberProgress(), count: workers),
                            subscriberResults: Array(repeating: nil, count: workers)))
    }

    /// Publishes worker `index`'s running totals.
    func publish(worker index: Int, progress: SubscriberProgress) {
        state.withLock { $0.subscribers[index] = progress }
    }

    /// Publishes the writer's running totals.
    func publish(writes: WriteProgress) {
        state.withLock { $0.writes = writes }
    }

    /// Hands in worker `index`'s final counts.
    func finish(worker index: Int, stats: SubscriberStats) {
        state.withLock { state in
            state.subscribers[index] = SubscriberProgress(opened: stats.opened, failed: stats.failed, dropped: stats.dropped, delivered: stats.delivered)
            state.subscriberResults[index] = stats
        }
    }

    /// Hands in the writer's final counts.
    func finish(writes stats: WriteStats) {
        state.withLock { $0.writeResult = stats }
    }

    /// The subscribers' totals over all workers, and the writer's.
    var progress: (subscribers: SubscriberProgress, writes: WriteProgress) {
        state.withLock { state in (state.subscribers.reduce(SubscriberProgress(), +), state.writes) }
    }

    /// Every worker's and the writer's results once all have finished, else nil.
    var results: (subscribers: [SubscriberStats], writes: WriteStats)? {
        state.withLock { state in
            let done = state.subscriberResults.compactMap { $0 }
            guard done.count == state.subscriberResults.count, let writes = state.writeResult else { return nil }
            return (done, writes)
        }
    }
}
