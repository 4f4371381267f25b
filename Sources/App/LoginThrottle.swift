import Synchronization

/// Limits password attempts per account and per client address within a sliding window (DESIGN §6).
///
/// An attempt is counted when it starts, before its hash is checked, so a flood of concurrent attempts is
/// cut off at the limit instead of all getting through while the first ones are still hashing. A successful
/// login clears its account's count and gives back its own address slot.
final class LoginThrottle: Sendable {
    private struct Windows {
        var accounts: [String: [Int64]] = [:]
        var addresses: [String: [Int64]] = [:]
    }

    private let windows = Mutex(Windows())
    private let accountLimit: Int
    private let addressLimit: Int
    private let window: Int64
    /// Keys tracked at most per kind; past it, keys whose attempts have all left the window are dropped.
    private static let trackedKeyLimit = 100_000

    /// A throttle allowing `accountLimit` and `addressLimit` attempts per `window` seconds.
    init(accountLimit: Int, addressLimit: Int, window: Int64) {
        self.accountLimit = accountLimit
        self.addressLimit = addressLimit
        self.window = window
    }

    /// Counts an attempt for `account` from `address` at `now`, or refuses it: then the result is the
    /// number of seconds until one becomes possible (for `Retry-After`).
    func admit(account: String, address: String, now: Int64) -> Int64? {
        windows.withLock { windows in
            let start = now - window
            var accountAttempts = windows.accounts[account, default: []].filter { $0 > start }
            var addressAttempts = windows.addresses[address, default: []].filter { $0 > start }
            let waits = [accountAttempts.count >= accountLimit ? accountAttempts.first : nil,
                         addressAttempts.count >= addressLimit ? addressAttempts.first : nil].compactMap { $0 }
            if let oldest = waits.max() { return max(1, oldest + window - now) }
            accountAttempts.append(now)
            addressAttempts.append(now)
            Self.store(accountAttempts, for: account, in: &windows.accounts, after: start)
            Self.store(addressAttempts, for: address, in: &windows.addresses, after: start)
            return nil
        }
    }

    /// The attempt admitted for `account` from `address` succeeded: the account starts afresh and the
    /// address gets its slot back.
    func succeeded(account: String, address: String) {
        windows.withLock { windows in
            windows.accounts[account] = nil
            if var attempts = windows.addresses[address], !attempts.isEmpty {
                attempts.removeLast()
                windows.addresses[address] = attempts.isEmpty ? nil : attempts
            }
        }
    }

    private static func store(_ attempts: [Int64], for key: String, in table: inout [String: [Int64]], after start: Int64) {
        table[key] = attempts
        if table.count > trackedKeyLimit { table = table.filter { $0.value.contains { $0 > start } } }
    }
}
