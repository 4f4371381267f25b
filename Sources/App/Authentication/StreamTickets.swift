import Crypto
import Synchronization

/// One-use tickets for the stream routes (DESIGN §11, "Access"): a browser's `EventSource` and `WebSocket` cannot
/// send an `Authorization` header, so a client with a token gets a ticket (`POST /realtime/ticket`) and opens the
/// stream with `?ticket=`. A ticket stands for the caller that asked for it, works once, and only within 30 seconds.
/// Kept in this process's memory: a ticket is redeemed on the instance that issued it.
final class StreamTickets: Sendable {
    private struct Issued {
        let caller: Caller
        let expiresAt: Int64
    }

    private let issued = Mutex<[String: Issued]>([:])
    private let clock: @Sendable () -> Int64
    /// How long a ticket works, in seconds.
    static let lifetime: Int64 = 30
    /// The most tickets waiting at once; past it the oldest go first.
    static let capacity = 100_000

    /// Tickets timed by `clock` (Unix seconds).
    init(clock: @escaping @Sendable () -> Int64) {
        self.clock = clock
    }

    /// A new ticket for `caller`: 32 random bytes, base64url.
    func issue(for caller: Caller) -> String {
        let ticket = Base64URL.encode(SecureRandom.bytes(count: 32))
        let now = clock()
        issued.withLock { tickets in
            if tickets.count >= Self.capacity { tickets = tickets.filter { $0.value.expiresAt > now } }
            if tickets.count >= Self.capacity, let oldest = tickets.min(by: { $0.value.expiresAt < $1.value.expiresAt }) { tickets[oldest.key] = nil }
            tickets[ticket] = Issued(caller: caller, expiresAt: now + Self.lifetime)
        }
        return ticket
    }

    /// The caller of `ticket`, once: nil when it is unknown, used or expired.
    func redeem(_ ticket: String) -> Caller? {
        let now = clock()
        guard let found = issued.withLock({ $0.removeValue(forKey: ticket) }), found.expiresAt > now else { return nil }
        return found.caller
    }
}
