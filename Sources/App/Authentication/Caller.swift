import OpenAPI

/// Who is calling: the user behind a valid access token, with the token's scopes and id.
struct Caller: Sendable {
    let user: UserRecord
    let scopes: [String]
    let tokenID: String
    /// When the token expires (Unix seconds); nil for a token without `exp`. A stream ends within a second of it.
    var expiresAt: Int64? = nil

    /// Whether the caller may act on user `id`: it is them, or they are an admin.
    func mayAct(on id: Int64) -> Bool { user.id == id || user.isAdmin }

    /// The caller, if `rule` holds for them; else 403.
    func allowed(_ rule: (Caller) -> Bool) throws -> Caller {
        guard rule(self) else { throw Authenticator.forbidden }
        return self
    }
}

extension OperationInput {
    /// The caller the operation's `Access` admitted; only for operations that need a token.
    var caller: Caller {
        guard let caller = principal as? Caller else { preconditionFailure("no caller: the operation's access needs no token") }
        return caller
    }

    /// The caller of an `optionalToken` operation, or nil when no token was sent.
    var optionalCaller: Caller? { principal as? Caller }
}
