import HTTP
import JSON
import OpenAPI

extension ResourceRule {
    /// What the operation layer checks before the handler runs: the keyword rules entirely; a filter rule needs the
    /// record, so only a token that is sent must be valid, and the handler decides.
    var access: Access {
        switch self {
        case .everyone, .filter, .nobody: .optionalToken
        case .authenticated: .token
        case .admin: .admin
        case .scope(let scope): .scope(scope)
        }
    }

    /// Whether `caller` may do the operation on `record` at `now`.
    func allows(_ record: some FilterRecord, caller: FilterCaller?, now: String) -> Bool {
        switch self {
        case .everyone: true
        case .authenticated: caller != nil
        case .admin: caller?.isAdmin == true
        case .nobody: false
        case .scope(let scope): caller?.scopes.contains(scope) == true
        case .filter(let filter): filter.matches(record, caller: caller, now: now)
        }
    }

    /// The rule as an extra filter of a list: only filter rules add one (the keywords were enforced by `access`).
    var listFilter: Filter? {
        if case .filter(let filter) = self { filter } else { nil }
    }
}

extension Caller {
    /// The caller as filters see them (`@caller.id`, `@caller.email`, `@caller.admin`, `@caller.scopes`).
    var filterCaller: FilterCaller {
        FilterCaller(id: user.id, email: user.email, isAdmin: user.isAdmin, scopes: scopes)
    }
}

extension ResourceDeclaration {
    /// The answer for a record that is not there, or that the caller may not see.
    var notFound: HTTPError { HTTPError(.notFound, detail: "\(title) not found") }

    /// Record `id` as `store` holds it, once `operation`'s rule lets `caller` change it and it still has the `If-Match`
    /// tag (RFC 9110 §13.1.1); nil when there is none. Throws 404 for a record the caller may not read (no existence
    /// leak), 403 for one they may read but not change, 412 for one changed since the tag was read. Call it inside the
    /// transaction that writes, so nothing slips between the check and the change.
    func recordToChange(_ id: Int64, _ operation: ResourceRule.Operation, in store: any ResourceStore, caller: FilterCaller?, now: String,
                        ifMatch: EntityTagCondition?) throws -> JSONObject? {
        guard let record = try store.record(id: id) else { return nil }
        guard rule(operation).allows(record, caller: caller, now: now) else {
            throw rule(.read).allows(record, caller: caller, now: now) ? Authenticator.forbidden : notFound
        }
        try ConditionalRequest.check(ifMatch, version: record["version"]?.intValue ?? 0)
        return record
    }
}
