import HTTP

/// Limits password attempts so that nobody can lock another user out (DESIGN §12, OWASP's Authentication Cheat
/// Sheet), as three rules of the server's `RateLimiter`: an (account, client address) pair and a client address are
/// refused past their limits, while a whole account is only slowed, by a delay growing with its attempts past a much
/// higher threshold, and never refused.
///
/// Each limit is `N` attempts per window: a burst of `N`, refilling at `N` per window (GCRA), so a client that keeps
/// failing gets one more attempt every `window / N` seconds, never more than `N` per window on average. An attempt is
/// counted when it starts, before its hash is checked, so a flood of concurrent attempts is cut off at the limit
/// instead of all getting through while the first ones are still hashing. A successful login clears its pair and
/// gives back its attempt to the address and the account.
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

    private let limiter: RateLimiter
    private let pair: RateLimitRule
    private let address: RateLimitRule
    private let account: RateLimitRule
    /// Each attempt past the account threshold waits this much longer than the one before, up to `longestDelay`.
    static let delayStepMilliseconds: Int64 = 100
    static let longestDelayMilliseconds: Int64 = 10_000

    /// A throttle with `limits`, counting in `limiter`.
    init(_ limits: Limits, limiter: RateLimiter) {
        self.limiter = limiter
        let rule = { (name: String, count: Int, key: RateLimitRule.Key) in
            RateLimitRule(name: name, match: .routeClass(.auth), rate: Double(count) / Double(limits.window), burst: count, key: key)
        }
        pair = rule("login_account_address", limits.pair, .address)
        address = rule("login_address", limits.address, .address)
        account = rule("login_account", limits.accountSlowdown, .subject)
    }

    /// Counts an attempt for `account` from `address`, or refuses it.
    func admit(account: String, address: String) -> Decision {
        let pairKey = Self.pairKey(account, address)
        let waits = [limiter.peek(pair, key: pairKey), limiter.peek(self.address, key: address)].compactMap { decision -> Int64? in
            if case .refused(let wait) = decision { wait } else { nil }
        }
        if let wait = waits.max() { return .refused(retryAfter: max(1, (wait + 999) / 1000)) }
        _ = limiter.admit(pair, key: pairKey)
        _ = limiter.admit(self.address, key: address)
        let excess = Int64(limiter.charge(self.account, key: account))
        return .admitted(delayMilliseconds: min(excess * Self.delayStepMilliseconds, Self.longestDelayMilliseconds))
    }

    /// The attempt admitted for `account` from `address` succeeded: the pair starts afresh, and the address and
    /// the account get their attempt back.
    func succeeded(account: String, address: String) {
        limiter.reset(pair, key: Self.pairKey(account, address))
        limiter.refund(self.address, key: address)
        limiter.refund(self.account, key: account)
    }

    /// One key per pair: a client address never contains a NUL, so no two pairs make the same key.
    private static func pairKey(_ account: String, _ address: String) -> String {
        account + "\u{0}" + address
    }
}
