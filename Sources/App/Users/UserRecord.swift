/// A user as stored, without the password hash (which only login reads, through `UserStore.credentials`).
struct UserRecord: Sendable, Equatable {
    let id: Int64
    var name: String
    var email: String
    var isAdmin: Bool
    let createdAt: String
    /// 1 when created, +1 per change of what readers see (a re-hash at login is not one): the `ETag`.
    var version: Int64 = 1

    /// The key that makes emails unique in any case: `Alice@Example.com` and `alice@example.com` are one account.
    static func emailKey(_ email: String) -> String { email.lowercased() }
}
