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
