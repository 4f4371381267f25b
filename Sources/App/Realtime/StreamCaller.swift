/// Who a stream serves, as its events are checked (DESIGN §11, "Access"): the caller as filters see them, and the
/// token whose expiry or revocation ends the stream. Nil for an anonymous stream of a public resource.
struct StreamCaller: Sendable {
    let filterCaller: FilterCaller
    let tokenID: String
    /// Unix seconds; nil for a token without `exp`.
    let expiresAt: Int64?

    /// Whether the token has expired by `seconds` (Unix) or been revoked: its streams end.
    func hasEnded(at seconds: Int64, isRevoked: (String) -> Bool) -> Bool {
        expiresAt.map { $0 <= seconds } == true || isRevoked(tokenID)
    }

    init(_ caller: Caller) {
        filterCaller = caller.filterCaller
        tokenID = caller.tokenID
        expiresAt = caller.expiresAt
    }
}
