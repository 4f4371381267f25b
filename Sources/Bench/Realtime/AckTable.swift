import Synchronization

/// The writes the server has acknowledged, by the id of the record each created: the writer thread adds to it, the
/// subscriber threads look events up in it. Each subscriber thread keeps what it found in its own `DeliveryLedger`,
/// so the lock is taken about once per write and thread, not once per event.
final class AckTable: Sendable {
    /// One acknowledged write.
    struct Acknowledgement: Sendable {
        /// The write's number in the run (0, 1, ...): a subscriber's bit for it in the ledger.
        let number: Int
        /// When its 201 was read (`MonotonicClock.nanoseconds()`).
        let at: UInt64
    }

    private let writes = Mutex<[Int64: Acknowledgement]>([:])

    /// Records that write `number`, which created record `id`, was acknowledged at `at`.
    func record(id: Int64, number: Int, at: UInt64) {
        writes.withLock { $0[id] = Acknowledgement(number: number, at: at) }
    }

    /// The acknowledgement of the write that created record `id`, if there is one yet.
    func acknowledgement(of id: Int64) -> Acknowledgement? {
        writes.withLock { $0[id] }
    }

    /// The acknowledgements of each of `ids` known now, under one lock.
    func acknowledgements(of ids: some Sequence<Int64>) -> [(id: Int64, acknowledgement: Acknowledgement)] {
        writes.withLock { writes in ids.compactMap { id in writes[id].map { (id, $0) } } }
    }
}
