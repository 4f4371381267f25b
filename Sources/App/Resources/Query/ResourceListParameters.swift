import HTTP
import JSON
import OpenAPI

/// The query parameters of `GET /R/` (DESIGN §10) and how they become a `ResourceQuery`: `filter` parsed and
/// type-checked, `sort` and `fields` checked against the declared fields, `cursor` taken back only from the same
/// order. Every problem is reported at once, as a 422 in Pydantic's shape with the parameter in `loc`.
struct ResourceListParameters: Sendable {
    // `x-grammar` and `x-opaque` tell tools what a schema cannot: the filter is a language, the cursor a token.
    let filter = Parameter<String?>.query("filter", Schema.string().example("id > 0").extended("x-grammar", "filter").orNull, default: .null,
                                          description: """
        Only the records that pass, in the filter grammar (docs/resources.md): `status = "active" && budget >= 100`, \
        `name ~ "api"`, `due is null`, `status in ["draft", "active"]`, with `&&`, `||`, `!` and parentheses. Empty: all.
        """)
    let cursor = Parameter<String?>.query("cursor", Schema.string(maxLength: 4096).extended("x-opaque", true).orNull, default: .null,
                                          description: "The `next_cursor` of the previous page, with the same `sort`. Empty: the first page.")
    let count = Parameter<Bool>.query("count", .boolean, default: false, description: "Adds `total`, the count of records that pass.")
    /// `sort` and `fields`, whose patterns name the resource's fields, so the document says exactly what is accepted.
    let sort: Parameter<String?>
    let fields: Parameter<String?>

    init(_ declaration: ResourceDeclaration) {
        let known = declaration.filterFields
        let ordered = known.filter { $0.value.isOrdered || $0.value == .boolean }.keys.sorted().joined(separator: "|")
        let all = known.keys.sorted().joined(separator: "|")
        sort = .query("sort", Schema.string(pattern: "^-?(?:\(ordered))(?:,-?(?:\(ordered)))*$").orNull, default: .null, description: """
            Fields to order by, `-` for descending: `-budget,name`. Ascending `id` breaks ties; nulls come first ascending.
            """)
        fields = .query("fields", Schema.string(pattern: "^(?:\(all))(?:,(?:\(all)))*$").orNull, default: .null,
                        description: "The fields each item holds: `id,name` (all when absent).")
    }

    /// The parameters in the order they are documented.
    func declare(on operation: Operation) -> Operation {
        operation.parameter(filter).parameter(sort).parameter(Pagination.limit).parameter(cursor).parameter(fields).parameter(count)
    }

    /// What the request asks for, checked against `declaration`.
    struct Request {
        let query: ResourceQuery
        let sortText: String
        let fields: [String]?
        /// Whether `total` is asked for (the count of what `query.filter` passes).
        let wantsCount: Bool
    }

    /// Reads `input`'s list parameters for `declaration`, with `rule` (the `list` rule as a filter, if it is one)
    /// joined to the caller's filter; throws a 422 naming every parameter at fault. (`sort` and `fields` have passed
    /// their patterns; a field named twice counts once.)
    func read(_ input: OperationInput, of declaration: ResourceDeclaration, rule: Filter?, caller: FilterCaller?,
              now: String) throws -> Request {
        let known = declaration.filterFields
        var issues: [ValidationIssue] = []
        let parsed = self.filter(in: input, of: declaration, issues: &issues)
        let sortText = input[self.sort] ?? ""
        let sort = Self.sortKeys(sortText)
        var after: ResourceCursor?
        if let text = input[cursor], !text.isEmpty {
            after = ResourceCursor(text: text, sortText: sortText, types: sort.map { known[$0.field] ?? .string })
            if after == nil { issues.append(Self.issue("cursor", text, "not a cursor of this list (a next_cursor given back with the same sort)")) }
        }
        let fields = input[self.fields].map { $0.split(separator: ",").map(String.init) }
        guard issues.isEmpty else { throw HTTPError(.unprocessableContent, detail: .array(issues.map(\.json))) }
        let joined = [parsed, rule].compactMap { $0 }.reduce(nil) { (sum: Filter?, next) in sum.map { .and($0, next) } ?? next }
        let query = ResourceQuery(filter: joined, sort: sort, after: after, limit: input[Pagination.limit] + 1, caller: caller, now: now)
        return Request(query: query, sortText: sortText, fields: fields, wantsCount: input[count])
    }

    /// The caller's `filter`, parsed against `declaration`'s fields; nil when none was given, or when it does not
    /// parse (then `issues` says why, at `["query", "filter"]`).
    func filter(in input: OperationInput, of declaration: ResourceDeclaration, issues: inout [ValidationIssue]) -> Filter? {
        guard let text = input[filter], !text.allSatisfy(\.isWhitespace) else { return nil }
        do { return try FilterParser.parse(text, fields: declaration.filterFields) } catch {
            issues.append(Self.issue("filter", text, error.description))
            return nil
        }
    }

    /// `-budget,name` (checked by the parameter's pattern): each field once, the first mention counting.
    private static func sortKeys(_ text: String) -> [ResourceSortKey] {
        var keys: [ResourceSortKey] = []
        for part in text.split(separator: ",") {
            let key = ResourceSortKey(field: String(part.drop { $0 == "-" }), isDescending: part.hasPrefix("-"))
            if !keys.contains(where: { $0.field == key.field }) { keys.append(key) }
        }
        if let last = keys.last, last.field == "id", !last.isDescending { keys.removeLast() }   // the tie-break already
        return keys
    }

    private static func issue(_ parameter: String, _ input: String, _ problem: String) -> ValidationIssue {
        issue(at: ["query", .string(parameter)], input, problem)
    }

    /// Pydantic's `value_error` at `location` for `input`: what a filter or cursor that does not read answers.
    static func issue(at location: [JSONValue], _ input: String, _ problem: String) -> ValidationIssue {
        ValidationIssue(type: "value_error", location: location, message: "Value error, \(problem)", input: .string(input),
                        context: ["error": .string(problem)])
    }
}
