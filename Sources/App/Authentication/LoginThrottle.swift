import Synchronization

/// Limits password attempts within a sliding window so that nobody can lock another user out (DESIGN §12,
/// OWASP's Authentication Cheat Sheet): an (account, client address) pair and a client address are refused
/// past their limits, while a whole account is only slowed, by a delay growing with its failures past a much
/// higher threshold, and never refused.
///
/// An attempt is counted when it starts, before its hash is checked, so a flood of concurrent attempts is
/// cut off at the limit instead of all getting through while the first ones are still hashing. A successful
/// login clears its pair and gives back its slots for the address and the account.
final class LoginThrottle: Sendable {
    /// The limits, all per window.
    struct Limits: Sendable {
        /// Attempts for one account from one address before that pair gets 429.
        var pair: Int
        /// Attempts from one address, whatever the accounts, before that address gets 429.
        var address: Int
        /// Attempts on one account, from anywhere, before each further one is slowed.
        var accountSlowdown: Int
        /// The window, in seconds.
        var window: Int64
    }

    /// What becomes of an attempt.
    enum Decision: Equatable {
        /// Go ahead; answer no sooner than `delayMilliseconds` (0 unless the account is being slowed).
        case admitted(delayMilliseconds: Int64)
        /// Refused: the number of seconds until an attempt becomes possible (for `Retry-After`).
        case refused(retryAfter: Int64)
    }

    private struct Windows {
        var pairs: [String: [Int64]] = [:]
        var addresses: [String: [Int64]] = [:]
        var accounts: [String: [Int64]] = [:]
    }

    private let windows = Mutex(Windows())
    private let limits: Limits
    /// Each attempt past the account threshold waits this much longer than the one before, up to `longestDelay`.
    static let delayStepMilliseconds: Int64 = 100
    static let longestDelayMilliseconds: Int64 = 10_000
    /// Keys tracked at most per kind; past it, keys whose attempts have all left the window are dropped.
    private static let trackedKeyLimit = 100_000

    /// A throttle with `limits`.
    init(_ limits: Limits) {
        self.limits = limits
    }

    /// Counts an attempt for `account` from `address` at `now` (seconds), or refuses it.
    func admit(account: String, address: String, now: Int64) -> Decision {
        let pair = Self.pairKey(account, address)
        return windows.withLock { windows in
            let start = now - limits.window
            var pairAttempts = windows.pairs[pair, default: []].filter { $0 > start }
            var addressAttempts = windows.addresses[address, default: []].filter { $0 > start }
            var accountAttempts = windows.accounts[account, default: []].filter { $0 > start }
            let waits = [pairAttempts.count >= limits.pair ? pairAttempts.first : nil,
                         addressAttempts.count >= limits.address ? addressAttempts.first : nil].compactMap { $0 }
            if let oldest = waits.max() { return .refused(retryAfter: max(1, oldest + limits.window - now)) }
            let excess = Int64(accountAttempts.count - limits.accountSlowdown + 1)
            pairAttempts.append(now)
            addressAttempts.append(now)
            accountAttempts.append(now)
            Self.store(pairAttempts, for: pair, in: &windows.pairs, after: start)
            Self.store(addressAttempts, for: address, in: &windows.addresses, after: start)
            Self.store(accountAttempts, for: account, in: &windows.accounts, after: start)
            return .admitted(delayMilliseconds: excess > 0 ? min(excess * Self.delayStepMilliseconds, Self.longestDelayMilliseconds) : 0)
        }
    }

    /// The attempt admitted for `account` from `address` succeeded: the pair starts afresh, and the address and
    /// the account get their slots back.
    func succeeded(account: String, address: String) {
        windows.withLock { windows in
            windows.pairs[Self.pairKey(account, address)] = nil
            Self.giveBack(address, in: &windows.addresses)
            Self.giveBack(account, in: &windows.accounts)
        }
    }

    /// One key per pair: a client address never contains a NUL, so no two pairs make the same key.
    private static func pairKey(_ account: String, _ address: String) -> String {
        account + "\u{0}" + address
    }

    private static func giveBack(_ key: String, in table: inout [String: [Int64]]) {
        guard var attempts = table[key], !attempts.isEmpty else { return }
        attempts.removeLast()
        table[key] = attempts.isEmpty ? nil : attempts
    }

    private static func store(_ attempts: [Int64], for key: String, in table: inout [String: [Int64]], after start: Int64) {
        table[key] = attempts
        if table.count > trackedKeyLimit { table = table.filter { $0.value.contains { $0 > start } } }
    }
}
