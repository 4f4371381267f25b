public import Net
import Synchronization

/// Enforces `RateLimitRule`s with GCRA in a fixed table of atomic slots shared by every loop: no lock, no allocation
/// per request, and one client's requests are counted together whichever loops its connections landed on (per-loop
/// tables would each let a client through at the full rate, up to `workers` times it).
///
/// A slot packs a key's fingerprint (24 bits) and its theoretical arrival time (40 bits of milliseconds on the
/// server's clock). A key probes 4 slots from its hash; a slot whose time has passed is free for any key. When all 4
/// hold other live keys (more than the table's clients at once), the request is admitted: the limiter fails open
/// rather than refuse clients it cannot tell apart.
public final class RateLimiter: @unchecked Sendable {
    // @unchecked: `slots` is written once, at init, and then only through its atomics.
    /// What a request was told.
    public enum Decision: Sendable, Equatable {
        /// Admitted, with the requests left in the burst.
        case admitted(remaining: Int)
        /// Refused: retry after this many milliseconds.
        case refused(retryAfterMilliseconds: Int64)
    }

    private let slots: UnsafeMutablePointer<Atomic<UInt64>>
    private let mask: Int
    private let time: any TimeSource
    private let epoch: UInt64
    private static let probes = 4
    private static let timeBits: UInt64 = 40
    private static let timeMask: UInt64 = (1 << timeBits) - 1

    /// A table of `capacity` slots (rounded up to a power of two) on `time`'s monotonic clock.
    public init(capacity: Int = 65_536, time: any TimeSource) {
        var size = 1
        while size < capacity { size <<= 1 }
        slots = .allocate(capacity: size)
        for index in 0..<size { (slots + index).initialize(to: Atomic(0)) }
        mask = size - 1
        self.time = time
        epoch = time.monotonicMilliseconds()
    }

    deinit {
        slots.deinitialize(count: mask + 1)
        slots.deallocate()
    }

    /// Counts one request of `key` under `rule`: an address, or with `isSubject` a user (the two never meet, nor do
    /// the keys of different rules: the rule's name is hashed in).
    public func admit(_ rule: RateLimitRule, key: String, isSubject: Bool = false) -> Decision {
        var hasher = Hasher()
        hasher.combine(rule.name)
        hasher.combine(isSubject)
        hasher.combine(key)
        let hash = UInt64(bitPattern: Int64(hasher.finalize()))
        let fingerprint = (hash >> Self.timeBits) | 1                   // never 0: a zero slot is empty
        let now = time.monotonicMilliseconds() &- epoch + 1
        for probe in 0..<Self.probes {
            let slot = Int(truncatingIfNeeded: hash &+ UInt64(probe)) & mask
            if let decision = admit(rule, fingerprint: fingerprint, now: now, slot: slot) { return decision }
        }
        return .admitted(remaining: rule.burst - 1)
    }

    /// GCRA on one slot: nil when the slot holds another live key.
    private func admit(_ rule: RateLimitRule, fingerprint: UInt64, now: UInt64, slot: Int) -> Decision? {
        let interval = UInt64(rule.interval), tolerance = UInt64(rule.burst) * interval
        var old = slots[slot].load(ordering: .relaxed)
        while true {
            let owner = old >> Self.timeBits, arrival = old & Self.timeMask
            let mine = owner == fingerprint
            if !mine && old != 0 && arrival > now { return nil }
            let next = max(mine ? arrival : now, now) + interval
            if next - now > tolerance { return .refused(retryAfterMilliseconds: Int64(next - now - tolerance)) }
            let (exchanged, current) = slots[slot].compareExchange(expected: old, desired: fingerprint << Self.timeBits | (next & Self.timeMask),
                                                                 ordering: .relaxed)
            if exchanged { return .admitted(remaining: Int((tolerance - (next - now)) / interval)) }
            old = current
        }
    }
}
