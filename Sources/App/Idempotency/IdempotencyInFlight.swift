import Synchronization

/// The keyed requests this process is answering now: a retry that arrives before the first answer is committed gets
/// 409 rather than a second write. (Across processes, the store's key is unique: the second commit fails.)
final class IdempotencyInFlight: Sendable {
    private let scopes = Mutex<Set<String>>([])

    /// Marks `scope` as being answered; false when it already is.
    func begin(_ scope: String) -> Bool {
        scopes.withLock { $0.insert(scope).inserted }
    }

    /// Marks `scope` as answered (or failed).
    func end(_ scope: String) {
        _ = scopes.withLock { $0.remove(scope) }
    }
}
