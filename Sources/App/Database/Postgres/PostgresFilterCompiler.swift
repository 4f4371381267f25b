import JSON

/// A filter tree as a PostgreSQL condition, every value a parameter (DESIGN §10: no value is ever pasted into SQL; field
/// names are declared identifiers). It means what `Filter.matches` means in memory, as SQLite's compiler does: a
/// comparison with null is false, so under `NOT` a comparison is wrapped in `coalesce(..., FALSE)`.
struct PostgresFilterCompiler {
    private let table: PostgresResourceTable
    private let caller: FilterCaller?
    private let now: String
    /// Whether the term being compiled is under a `NOT`, where unknown and false differ.
    private var isNegated = false

    init(table: PostgresResourceTable, caller: FilterCaller?, now: String) {
        self.table = table
        self.caller = caller
        self.now = now
    }

    /// The condition of `filter`, its values added to `parameters`.
    mutating func condition(_ filter: Filter, _ parameters: inout PostgresParameters) -> String {
        switch filter {
        case .and(let left, let right): return "(\(condition(left, &parameters)) AND \(condition(right, &parameters)))"
        case .or(let left, let right): return "(\(condition(left, &parameters)) OR \(condition(right, &parameters)))"
        case .not(let inner):
            let outer = isNegated
            isNegated = true
            defer { isNegated = outer }
            return "NOT \(condition(inner, &parameters))"
        case .field(let name): return "(\(column(name)) IS TRUE)"
        case .callerIsAdmin: return caller?.isAdmin == true ? "TRUE" : "FALSE"
        case .isNull(let name, let negated): return "(\(column(name)) IS \(negated ? "NOT " : "")NULL)"
        case .isIn(let name, let values):
            let placeholders = values.map { parameters.add(table.parameter($0, for: name)) }.joined(separator: ", ")
            return known("\(column(name)) IN (\(placeholders))")
        case .compare(let name, let comparison, let operand):
            let value = operand.value(caller: caller, now: now)
            guard value != .null else { return "FALSE" }             // as in memory: a comparison with null is false
            return compare(name, comparison, value, &parameters)
        }
    }

    private func compare(_ name: String, _ comparison: FilterComparison, _ value: JSONValue, _ parameters: inout PostgresParameters) -> String {
        let column = column(name)
        let isArray = table.column(name)?.storage == .json
        switch comparison {
        case .contains where isArray: return element(of: column, equalTo: value, &parameters)
        case .notContains where isArray: return "(\(column) IS NOT NULL AND NOT \(element(of: column, equalTo: value, &parameters)))"
        case .contains: return known("strpos(lower(\(column)::text), lower(\(parameters.add(PostgresResourceTable.parameter(value))))) > 0")
        case .notContains: return known("strpos(lower(\(column)::text), lower(\(parameters.add(PostgresResourceTable.parameter(value))))) = 0")
        default: return known("\(column) \(comparison.sqlOperator) \(parameters.add(table.parameter(value, for: name)))")
        }
    }

    /// Whether the JSON array in `column` holds `value` (text in any case; other values as JSON writes them).
    private func element(of column: String, equalTo value: JSONValue, _ parameters: inout PostgresParameters) -> String {
        let test = if let text = value.stringValue {
            "lower(element) = lower(\(parameters.add(text)))"
        } else {
            "element = \(parameters.add(String(decoding: value.serialized(), as: UTF8.self)))"
        }
        return "EXISTS (SELECT 1 FROM json_array_elements_text(\(column)) AS elements(element) WHERE \(test))"
    }

    /// `comparison`, false rather than unknown where that matters (under `NOT`).
    private func known(_ comparison: String) -> String {
        isNegated ? "coalesce(\(comparison), FALSE)" : "(\(comparison))"
    }

    private func column(_ name: String) -> String { PostgresResourceTable.quoted(name) }
}
