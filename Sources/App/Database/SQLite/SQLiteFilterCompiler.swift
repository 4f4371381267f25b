import JSON
import Storage

/// A filter tree as an SQL condition, with every value bound (DESIGN §10: no value is ever pasted into SQL; field
/// names are declared identifiers). The condition means what `Filter.matches` means in memory, where a comparison with
/// null is false: SQL's unknown excludes a row as false does, except under `NOT`, so only there is a comparison
/// wrapped in `coalesce(..., 0)` (which would keep SQLite from using an index). (`~` lowercases ASCII letters only, as
/// SQLite's `lower` does; in memory every letter is lowercased.)
struct SQLiteFilterCompiler {
    private let table: SQLiteResourceTable
    private let caller: FilterCaller?
    private let now: String
    /// The values bound, in the order of the condition's `?`.
    private(set) var arguments: [any SQLBindable] = []
    /// Whether the term being compiled is under a `NOT`, where unknown and false differ.
    private var isNegated = false

    init(table: SQLiteResourceTable, caller: FilterCaller?, now: String) {
        self.table = table
        self.caller = caller
        self.now = now
    }

    /// The condition of `filter`; its values are appended to `arguments`.
    mutating func condition(_ filter: Filter) -> String {
        switch filter {
        case .and(let left, let right): return "(\(condition(left)) AND \(condition(right)))"
        case .or(let left, let right): return "(\(condition(left)) OR \(condition(right)))"
        case .not(let inner):
            let outer = isNegated
            isNegated = true
            defer { isNegated = outer }
            return "NOT \(condition(inner))"
        case .field(let name): return "(\(column(name)) IS 1)"
        case .callerIsAdmin: return caller?.isAdmin == true ? "1" : "0"
        case .isNull(let name, let negated): return "(\(column(name)) IS \(negated ? "NOT " : "")NULL)"
        case .isIn(let name, let values):
            let placeholders = values.map { bind($0, for: name) }.joined(separator: ", ")
            return known("\(column(name)) IN (\(placeholders))")
        case .compare(let name, let comparison, let operand):
            let value = operand.value(caller: caller, now: now)
            guard value != .null else { return "0" }                  // as in memory: a comparison with null is false
            return compare(name, comparison, value)
        }
    }

    private mutating func compare(_ name: String, _ comparison: FilterComparison, _ value: JSONValue) -> String {
        let column = column(name)
        let isArray = table.column(name)?.storage == .json
        switch comparison {
        case .contains where isArray: return element(of: column, equalTo: value)
        case .notContains where isArray: return "(\(column) IS NOT NULL AND NOT \(element(of: column, equalTo: value)))"
        case .contains: return known("instr(lower(\(column)), lower(\(bind(value, for: name)))) > 0")
        case .notContains: return known("instr(lower(\(column)), lower(\(bind(value, for: name)))) = 0")
        default: return known("\(column) \(comparison.sqlOperator) \(bind(value, for: name))")
        }
    }

    /// Whether the JSON array in `column` holds `value` (text in any case).
    private mutating func element(of column: String, equalTo value: JSONValue) -> String {
        let placeholder = bind(value, for: nil)
        let test = value.stringValue != nil ? "lower(value) = lower(\(placeholder))" : "value = \(placeholder)"
        return "EXISTS (SELECT 1 FROM json_each(\(column)) WHERE \(test))"
    }

    /// `comparison`, false rather than unknown where that matters (under `NOT`).
    private func known(_ comparison: String) -> String {
        isNegated ? "coalesce(\(comparison), 0)" : "(\(comparison))"
    }

    private func column(_ name: String) -> String { SQLiteResourceTable.quoted(name) }

    /// A `?` for `value`, stored as field `name` stores it.
    private mutating func bind(_ value: JSONValue, for name: String?) -> String {
        let storage = name.flatMap { table.column($0)?.storage }
        arguments.append(SQLiteResourceTable.bindable(storage.map { SQLiteResourceTable.stored(value, $0) } ?? value))
        return "?"
    }
}

extension FilterComparison {
    /// The SQL operator of an ordering or equality comparison.
    var sqlOperator: String {
        switch self {
        case .equal: "="
        case .notEqual: "!="
        case .less: "<"
        case .lessOrEqual: "<="
        case .greater: ">"
        case .greaterOrEqual: ">="
        case .contains, .notContains: preconditionFailure("'~' is compiled apart")
        }
    }
}
