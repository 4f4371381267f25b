/// The OAuth2 scopes this API knows. A scope asked for but not known, or not allowed to the user, is left
/// out of the token (RFC 6749 §3.3 lets the server issue fewer scopes; the response's `scope` says which).
enum Scopes {
    /// Reading `GET /metrics` when `metrics.mode` is `token`; admins only, at login.
    static let metrics = "metrics"

    /// The scopes of `requested` (space-separated) that `user` may have, deduplicated, in the order asked.
    static func granted(_ requested: String, to user: UserRecord) -> [String] {
        var granted: [String] = []
        for scope in requested.split(separator: " ").map(String.init) where !granted.contains(scope) {
            if scope == metrics && user.isAdmin { granted.append(scope) }
        }
        return granted
    }

    /// Every known scope (what `api token issue --scope` accepts).
    static let all = [metrics]
}
