import Metrics
import Synchronization

/// The `api_*` counters of logins and tokens. Logins and token writes are off the hot path and come from
/// several threads (loops, the worker pool, the writer), so one mutex serves.
final class AuthMetrics: Sendable {
    /// How a password login ended.
    enum LoginResult: String, CaseIterable {
        case success, failure, throttled
    }

    private struct Counts {
        var logins: [LoginResult: Int] = [:]
        var issuedAccess = 0
        var issuedRefresh = 0
        var revoked = 0
    }

    private let counts = Mutex(Counts())

    func countLogin(_ result: LoginResult) {
        counts.withLock { $0.logins[result, default: 0] += 1 }
    }

    func countIssued(access: Int, refresh: Int) {
        counts.withLock { counts in
            counts.issuedAccess += access
            counts.issuedRefresh += refresh
        }
    }

    func countRevoked(_ count: Int) {
        counts.withLock { $0.revoked += count }
    }

    /// Writes the families.
    func write(to writer: inout ExpositionWriter) {
        let counts = counts.withLock { $0 }
        writer.family("api_logins_total", .counter, help: "Password logins by result.")
        for result in LoginResult.allCases {
            writer.sample("api_logins_total", [("result", result.rawValue)], Double(counts.logins[result] ?? 0))
        }
        writer.family("api_tokens_issued_total", .counter, help: "Tokens issued, by kind.")
        writer.sample("api_tokens_issued_total", [("kind", "access")], Double(counts.issuedAccess))
        writer.sample("api_tokens_issued_total", [("kind", "refresh")], Double(counts.issuedRefresh))
        writer.family("api_tokens_revoked_total", .counter, help: "Tokens revoked (logout, refresh reuse, user deletion, password change).")
        writer.sample("api_tokens_revoked_total", [], Double(counts.revoked))
    }
}
