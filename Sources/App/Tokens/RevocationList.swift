import Synchronization

/// The ids of revoked tokens that have not expired, checked on every authenticated request (DESIGN §6).
///
/// The master set is behind a mutex, but the request path does not take it: each loop keeps its own copy
/// and compares one atomic generation number per check, copying again only after a change. Revocations
/// are rare; checks are not.
final class RevocationList: Sendable {
    private struct Master {
        var expiries: [String: Int64] = [:]
        /// The last `revocations.sequence` merged, for polling the table.
        var lastSequence: Int64 = 0
    }

    /// One loop's copy.
    private struct LoopCopy {
        var generation = -1
        var ids: Set<String> = []
    }

    private let master = Mutex(Master())
    private let generation = Atomic<Int>(0)
    /// Each loop's copy; touched only by that loop's thread.
    private let copies: PerLoop<LoopCopy>

    /// A list with one copy per loop.
    init(loops: Int) {
        copies = PerLoop(count: max(1, loops)) { _ in LoopCopy() }
    }

    /// Whether `tokenID` is revoked; call from loop `loop`'s thread.
    func isRevoked(_ tokenID: String, loop: Int) -> Bool {
        let current = generation.load(ordering: .acquiring)
        if copies[loop].generation != current {
            copies[loop].ids = master.withLock { Set($0.expiries.keys) }
            copies[loop].generation = current
        }
        return copies[loop].ids.contains(tokenID)
    }

    /// Adds revocations committed by this process, at once (not waiting for the next poll).
    func add(_ revocations: [Revocation]) {
        guard !revocations.isEmpty else { return }
        master.withLock { master in
            for revocation in revocations { master.expiries[revocation.tokenID] = revocation.expiresAt }
        }
        generation.add(1, ordering: .releasing)
    }

    /// The sequence number to poll `revocations` after.
    var lastSequence: Int64 { master.withLock { $0.lastSequence } }

    /// Merges rows read from `revocations` up to `sequence`, and forgets ids whose tokens have expired.
    func merge(_ revocations: [Revocation], upTo sequence: Int64, now: Int64) {
        let changed = master.withLock { master -> Bool in
            let before = master.expiries.count
            for revocation in revocations { master.expiries[revocation.tokenID] = revocation.expiresAt }
            master.expiries = master.expiries.filter { $0.value > now }
            master.lastSequence = max(master.lastSequence, sequence)
            return master.expiries.count != before || !revocations.isEmpty
        }
        if changed { generation.add(1, ordering: .releasing) }
    }
}
