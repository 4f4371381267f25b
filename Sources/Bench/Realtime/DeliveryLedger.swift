/// What the subscribers of one thread received, matched to the writes that made it: the delivery latency of each
/// first delivery, and duplicates, events of no acknowledged write, and events that came before their write's 201.
/// Owned by one `SubscriberWorker`, touched only on its loop.
struct DeliveryLedger {
    /// An event whose record id was not yet in the `AckTable` when it arrived: it beat its write's 201.
    private struct Early {
        let subscriber: Int
        let receivedAt: UInt64
    }

    /// From write acknowledged to event received, in microseconds; events that beat their 201 count as 0.
    private(set) var latency = LatencyHistogram()
    /// First deliveries to subscribers that are still open: what the report calls delivered.
    private(set) var openDeliveries = 0
    private(set) var duplicates = 0
    /// Created events whose record no acknowledged write of this run made.
    private(set) var unmatched = 0
    /// Deliveries received before their write's 201 was read.
    private(set) var beforeAcknowledgement = 0
    /// When the last first delivery was received (`MonotonicClock.nanoseconds()`), 0 before any.
    private(set) var lastDeliveryAt: UInt64 = 0

    /// For each subscriber, a bit per write number: set once the write's event has reached it.
    private var seen: [[UInt64]]
    private var deliveries: [Int]
    private var isClosed: [Bool]
    /// What this thread has already found in the `AckTable`.
    private var known: [Int64: AckTable.Acknowledgement] = [:]
    /// Events not matched yet, by record id, with when the first of them came.
    private var waiting: [Int64: (since: UInt64, events: [Early])] = [:]

    /// A ledger for `subscribers` subscribers, numbered from 0 within their thread.
    init(subscribers: Int) {
        seen = Array(repeating: [], count: subscribers)
        deliveries = Array(repeating: 0, count: subscribers)
        isClosed = Array(repeating: false, count: subscribers)
    }

    /// Subscriber `subscriber` received the created event of record `id` at `receivedAt`.
    mutating func received(recordID id: Int64, subscriber: Int, at receivedAt: UInt64, acks: AckTable) {
        if let acknowledgement = known[id] { return credit(subscriber, acknowledgement, receivedAt: receivedAt) }
        // Others of this record are already waiting (so `waiting[id]!` is there): no need to take the table's lock again
        // before the next sweep.
        if waiting[id] != nil { return waiting[id]!.events.append(Early(subscriber: subscriber, receivedAt: receivedAt)) }
        if let acknowledgement = acks.acknowledgement(of: id) {
            known[id] = acknowledgement
            return credit(subscriber, acknowledgement, receivedAt: receivedAt)
        }
        waiting[id] = (receivedAt, [Early(subscriber: subscriber, receivedAt: receivedAt)])
    }

    /// Subscriber `subscriber` closed: what it received no longer counts as delivered.
    mutating func close(subscriber: Int) {
        guard !isClosed[subscriber] else { return }
        isClosed[subscriber] = true
        openDeliveries -= deliveries[subscriber]
    }

    /// Matches the waiting events whose writes have been acknowledged since. Those that waited since before
    /// `expiringBefore` belong to no write of this run (its writes are answered or failed within the timeout), so
    /// they count as unmatched.
    mutating func matchWaiting(acks: AckTable, expiringBefore: UInt64) {
        guard !waiting.isEmpty else { return }
        for (id, acknowledgement) in acks.acknowledgements(of: waiting.keys) {
            known[id] = acknowledgement
            // `waiting[id]` is there: the keys looked up came from it.
            for early in waiting.removeValue(forKey: id)!.events { credit(early.subscriber, acknowledgement, receivedAt: early.receivedAt) }
        }
        for (id, entry) in waiting where entry.since < expiringBefore {
            unmatched += entry.events.count
            waiting[id] = nil
        }
    }

    private mutating func credit(_ subscriber: Int, _ acknowledgement: AckTable.Acknowledgement, receivedAt: UInt64) {
        let word = acknowledgement.number >> 6, bit = UInt64(1) << UInt64(acknowledgement.number & 63)
        if seen[subscriber].count <= word { seen[subscriber].append(contentsOf: repeatElement(0, count: word + 1 - seen[subscriber].count)) }
        guard seen[subscriber][word] & bit == 0 else { duplicates += 1; return }
        seen[subscriber][word] |= bit
        if receivedAt < acknowledgement.at {
            beforeAcknowledgement += 1
            latency.record(microseconds: 0)
        } else {
            latency.record(microseconds: (receivedAt - acknowledgement.at + 500) / 1000)
        }
        lastDeliveryAt = max(lastDeliveryAt, receivedAt)
        deliveries[subscriber] += 1
        if !isClosed[subscriber] { openDeliveries += 1 }
    }
}
