import JSON

/// A filter, as a tree (DESIGN §10): one grammar for `filter=`, for rules and for realtime subscriptions. It is parsed
/// and checked against the resource's fields once (`FilterParser`); then it is evaluated on records in memory (rules on
/// one record, realtime events) or compiled to SQL with every value bound (list queries), with the same meaning: a
/// comparison with null is false, as in SQL, and only `is null` finds nulls.
indirect enum Filter: Equatable, Sendable {
    case and(Filter, Filter)
    case or(Filter, Filter)
    case not(Filter)
    /// A boolean field alone.
    case field(String)
    /// `@caller.admin` alone.
    case callerIsAdmin
    /// `field OP value`.
    case compare(String, FilterComparison, FilterOperand)
    /// `field in [v1, v2]`.
    case isIn(String, [JSONValue])
    /// `field is null`, or with `negated` `field is not null`.
    case isNull(String, negated: Bool)
}

/// The right side of a comparison: a literal, or something about the request.
enum FilterOperand: Equatable, Sendable {
    case literal(JSONValue)
    case variable(FilterVariable)
}

/// Who is asking, as a filter sees them; nil for an anonymous request (then `@caller.*` are null, and admin false).
struct FilterCaller: Sendable {
    let id: Int64
    let email: String
    let isAdmin: Bool
    let scopes: [String]
}

extension Filter {
    /// Whether `record` passes, for `caller` at `now` (an RFC 3339 UTC timestamp).
    func matches(_ record: some FilterRecord, caller: FilterCaller?, now: String) -> Bool {
        switch self {
        case .and(let left, let right): left.matches(record, caller: caller, now: now) && right.matches(record, caller: caller, now: now)
        case .or(let left, let right): left.matches(record, caller: caller, now: now) || right.matches(record, caller: caller, now: now)
        case .not(let inner): !inner.matches(record, caller: caller, now: now)
        case .field(let name): record.value(of: name) == .bool(true)
        case .callerIsAdmin: caller?.isAdmin == true
        case .compare(let name, let comparison, let operand):
            Self.compare(record.value(of: name) ?? .null, comparison, operand.value(caller: caller, now: now))
        case .isIn(let name, let values): values.contains { Self.compare(record.value(of: name) ?? .null, .equal, $0) }
        case .isNull(let name, let negated): ((record.value(of: name) ?? .null) == .null) != negated
        }
    }
}

extension FilterOperand {
    /// The value this operand stands for in a request of `caller` at `now`: the same for every record, so a list
    /// binds it once.
    func value(caller: FilterCaller?, now: String) -> JSONValue {
        switch self {
        case .literal(let value): value
        case .variable(.callerID): caller.map { .integer($0.id) } ?? .null
        case .variable(.callerEmail): caller.map { .string($0.email) } ?? .null
        case .variable(.callerAdmin): .bool(caller?.isAdmin == true)
        case .variable(.callerScopes): caller.map { .array($0.scopes.map(JSONValue.string)) } ?? .null
        case .variable(.now): .string(now)
        }
    }
}

extension Filter {
    /// SQL's three-valued comparison folded to a Boolean: anything compared with null is false.
    private static func compare(_ left: JSONValue, _ comparison: FilterComparison, _ right: JSONValue) -> Bool {
        if left == .null || right == .null { return false }
        switch comparison {
        case .contains: return contains(left, right)
        case .notContains: return !contains(left, right)
        case .equal: return order(left, right) == 0
        case .notEqual: return order(left, right).map { $0 != 0 } ?? true
        case .less: return order(left, right).map { $0 < 0 } ?? false
        case .lessOrEqual: return order(left, right).map { $0 <= 0 } ?? false
        case .greater: return order(left, right).map { $0 > 0 } ?? false
        case .greaterOrEqual: return order(left, right).map { $0 >= 0 } ?? false
        }
    }

    /// -1, 0 or 1 for two numbers, two strings (by code points: RFC 3339 UTC times sort in time order) or two Booleans;
    /// nil for values of different kinds.
    private static func order(_ left: JSONValue, _ right: JSONValue) -> Int? {
        if let a = left.doubleValue, let b = right.doubleValue { return a < b ? -1 : a > b ? 1 : 0 }
        if case .string(let a) = left, case .string(let b) = right { return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : a == b ? 0 : 1 }
        if case .bool(let a) = left, case .bool(let b) = right { return a == b ? 0 : 1 }
        return nil
    }

    /// `~`: a substring of a string, or an element of an array, in any case.
    private static func contains(_ haystack: JSONValue, _ needle: JSONValue) -> Bool {
        switch haystack {
        case .string(let text): return needle.stringValue.map { text.lowercased().contains($0.lowercased()) } ?? false
        case .array(let items): return items.contains { item in
            if let a = item.stringValue, let b = needle.stringValue { return a.lowercased() == b.lowercased() }
            return order(item, needle) == 0
        }
        default: return false
        }
    }
}
