import Synchronization

/// Where the workers of a run report to the thread that started it: progress while running, results at the end.
final class RunControl: Sendable {
    private struct State {
        var requests: [Int]
        var errors: [Int]
        var results: [WorkerStats?]
    }

    private let state: Mutex<State>

    init(workers: Int) {
        state = Mutex(State(requests: Array(repeating: 0, count: workers), errors: Array(repeating: 0, count: workers),
                            results: Array(repeating: nil, count: workers)))
    }

    /// Publishes worker `index`'s running totals; called a few times a second, not per request.
    func publish(worker index: Int, requests: Int, errors: Int) {
        state.withLock { state in
            state.requests[index] = requests
            state.errors[index] = errors
        }
    }

    /// Hands in worker `index`'s final measurements.
    func finish(worker index: Int, stats: WorkerStats) {
        state.withLock { state in
            state.requests[index] = stats.requests
            state.errors[index] = stats.errors.total
            state.results[index] = stats
        }
    }

    /// Requests and errors so far over all workers.
    var totals: (requests: Int, errors: Int) {
        state.withLock { ($0.requests.reduce(0, +), $0.errors.reduce(0, +)) }
    }

    /// Every worker's results once all have finished, else nil.
    var results: [WorkerStats]? {
        state.withLock { state in
            let done = state.results.compactMap { $0 }
            return done.count == state.results.count ? done : nil
        }
    }
}
