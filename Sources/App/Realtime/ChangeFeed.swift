import Synchronization

/// The committed changes on their way to the streams of this process (DESIGN §11, "Fan-out"): the writer publishes
/// each commit's changes once, after it is durable, and every event loop with subscribers is told once and takes
/// them from here. It keeps the newest changes (a loop that falls further behind reads the log instead), in
/// sequence order, each once.
final class ChangeFeed: Sendable {
    private struct State {
        var recent: [Change] = []
        /// Where the oldest of `recent` is, once it has wrapped around.
        var start = 0
        /// The newest sequence number published.
        var head: Int64 = 0
        var listeners: [@Sendable () -> Void] = []
    }

    private let state = Mutex(State())
    /// Whether any stream of this process listens: without one, a catch-up only moves the head, reading no record.
    private let isWanted = Atomic<Bool>(false)
    /// How many changes are kept.
    let capacity: Int

    /// A feed keeping the newest `capacity` changes.
    init(capacity: Int = 8192) {
        self.capacity = capacity
    }

    /// The newest sequence number published.
    var head: Int64 { state.withLock { $0.head } }

    /// Starts the feed after what the log already holds: only later changes are published.
    func start(after sequence: Int64) {
        state.withLock { $0.head = max($0.head, sequence) }
    }

    /// Calls `listener` (from the publishing thread) after each publication of new changes.
    func listen(_ listener: @escaping @Sendable () -> Void) {
        state.withLock { $0.listeners.append(listener) }
    }

    /// Publishes the changes of `log` after the head: the writer's after each commit that logged any, and a loop's
    /// when another process (an `api import`) may have written. With no stream listening, only the head moves.
    func catchUp(from log: any ChangeLog) throws {
        take(try catchUpRead()(log))
    }

    /// What a catch-up finds in the log.
    enum Found: Sendable {
        /// No stream listens: where the log ends.
        case end(Int64)
        /// The changes past the head.
        case changes([Change])
    }

    /// The read of a catch-up, its choices made now (whether any stream listens, the head), so that it reads the same
    /// if it runs again (PostgreSQL runs a read again as each answer comes); `take` what it found on any thread.
    func catchUpRead() -> @Sendable (any ChangeLog) throws -> Found {
        let isWanted = isWanted.load(ordering: .relaxed), head = head, capacity = capacity
        return { log in isWanted ? .changes(try log.changes(after: head, of: nil, limit: capacity)) : .end(try log.bounds().last) }
    }

    /// Takes what a catch-up read found: publishes the changes, or moves the head.
    func take(_ found: Found) {
        switch found {
        case .end(let last): start(after: last)
        case .changes(let changes): publish(changes)
        }
    }

    /// Says whether any stream listens (the hub, as its subscriptions come and go).
    func setWanted(_ wanted: Bool) {
        isWanted.store(wanted, ordering: .relaxed)
    }

    /// Adds the changes newer than the head, in order, and tells the listeners.
    func publish(_ changes: [Change]) {
        let listeners = state.withLock { state -> [@Sendable () -> Void] in
            let fresh = changes.filter { $0.sequence > state.head }
            guard let last = fresh.last else { return [] }
            for change in fresh {
                if state.recent.count < capacity {
                    state.recent.append(change)
                } else {
                    state.recent[state.start] = change
                    state.start = (state.start + 1) % capacity
                }
            }
            state.head = last.sequence
            return state.listeners
        }
        for listener in listeners { listener() }
    }

    /// The changes after `sequence`, oldest first; nil when some of them are no longer kept (read the log).
    func changes(after sequence: Int64) -> [Change]? {
        state.withLock { state in
            guard sequence < state.head else { return [] }
            let count = state.recent.count
            guard count > 0 else { return nil }
            let oldest = state.recent[state.start].sequence
            guard sequence >= oldest - 1 else { return nil }
            // The kept changes are in sequence order from `start`: find the first one after `sequence`.
            var low = 0, high = count
            while low < high {
                let middle = (low + high) / 2
                if state.recent[(state.start + middle) % count].sequence > sequence { high = middle } else { low = middle + 1 }
            }
            return (low..<count).map { state.recent[(state.start + $0) % count] }
        }
    }
}
