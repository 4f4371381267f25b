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
        apply(.admit, rule, key, isSubject).decision
    }

    /// What `admit` would decide, counting nothing.
    public func peek(_ rule: RateLimitRule, key: String) -> Decision {
        apply(.peek, rule, key, false).decision
    }

    /// Counts one request of `key` even past the limit; returns how many requests past its burst the key now is
    /// (0 within it): for a rule that slows rather than refuses.
    public func charge(_ rule: RateLimitRule, key: String) -> Int {
        apply(.charge, rule, key, false).excess
    }

    /// Gives `key` back one request it was counted for.
    public func refund(_ rule: RateLimitRule, key: String) {
        _ = apply(.refund, rule, key, false)
    }

    /// Forgets `key`: its whole burst is available again.
    public func reset(_ rule: RateLimitRule, key: String) {
        _ = apply(.reset, rule, key, false)
    }

    /// Makes `key`'s count at least `aheadMilliseconds` ahead of now: what a count kept elsewhere (the database's, for
    /// servers that share their limits) says the key has used, this server's requests included. A count already
    /// further ahead stays as it is.
    public func adopt(_ rule: RateLimitRule, key: String, isSubject: Bool = false, aheadMilliseconds: Int64) {
        guard aheadMilliseconds > 0 else { return }
        _ = apply(.adopt(aheadMilliseconds: UInt64(aheadMilliseconds)), rule, key, isSubject)
    }

    /// What an operation does to a key's theoretical arrival time.
    private enum Change {
        case admit, peek, charge, refund, reset
        case adopt(aheadMilliseconds: UInt64)
    }

    private func apply(_ change: Change, _ rule: RateLimitRule, _ key: String, _ isSubject: Bool) -> (decision: Decision, excess: Int) {
        var hasher = Hasher()
        hasher.combine(rule.name)
        hasher.combine(isSubject)
        hasher.combine(key)
        let hash = UInt64(bitPattern: Int64(hasher.finalize()))
        let fingerprint = (hash >> Self.timeBits) | 1                   // never 0: a zero slot is empty
        let now = time.monotonicMilliseconds() &- epoch + 1
        for probe in 0..<Self.probes {
            let slot = Int(truncatingIfNeeded: hash &+ UInt64(probe)) & mask
            if let outcome = apply(change, rule, fingerprint: fingerprint, now: now, slot: slot) { return outcome }
        }
        return (.admitted(remaining: rule.burst - 1), 0)
    }

    /// GCRA on one slot: nil when the slot holds another live key (or, to give back or forget, not this one).
    private func apply(_ change: Change, _ rule: RateLimitRule, fingerprint: UInt64, now: UInt64, slot: Int) -> (decision: Decision, excess: Int)? {
        let interval = UInt64(rule.interval), tolerance = UInt64(rule.tolerance)
        var old = slots[slot].load(ordering: .relaxed)
        while true {
            let owner = old >> Self.timeBits, arrival = old & Self.timeMask
            let mine = owner == fingerprint, live = old != 0 && arrival > now
            if !mine && live { return nil }
            let next = max(mine ? arrival : now, now) + interval
            let over = next - now > tolerance
            let decision: Decision = over ? .refused(retryAfterMilliseconds: Int64(next - now - tolerance))
                : .admitted(remaining: Int((tolerance - (next - now)) / interval))
            let desired: UInt64
            switch change {
            case .peek: return (decision, 0)
            case .admit:
                if over { return (decision, 0) }
                desired = fingerprint << Self.timeBits | (next & Self.timeMask)
            case .charge: desired = fingerprint << Self.timeBits | (next & Self.timeMask)
            case .refund:
                guard mine else { return nil }
                desired = fingerprint << Self.timeBits | max(now, arrival - min(arrival, interval))
            case .reset:
                guard mine else { return nil }
                desired = 0
            case .adopt(let ahead):
                desired = fingerprint << Self.timeBits | (max(mine ? arrival : now, now + ahead) & Self.timeMask)
            }
            let (exchanged, current) = slots[slot].compareExchange(expected: old, desired: desired, ordering: .relaxed)
            if exchanged { return (decision, over ? Int((next - now - tolerance + interval - 1) / interval) : 0) }
            old = current
        }
    }
}
