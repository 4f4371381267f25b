import JSON

/// Parses and checks a filter against a resource's fields (DESIGN §10): a recursive-descent parser over the tokens, so
/// no text is ever pasted into SQL; every identifier must be a declared field and every value fit its type.
///
///     filter  = or
///     or      = and *( "||" and )
///     and     = unary *( "&&" unary )
///     unary   = "!" unary / "(" filter ")" / term
///     term    = field [ OP value / "in" "[" value *( "," value ) "]" / "is" [ "not" ] "null" ] / "@caller.admin"
struct FilterParser {
    /// Longest filter accepted, in bytes, and deepest nesting.
    static let maximumBytes = 2048
    static let maximumDepth = 32
    /// Most values in one `in [...]`.
    static let maximumListCount = 100

    private let tokens: [FilterToken]
    private let fields: [String: FilterFieldType]
    private var index = 0
    private var depth = 0

    /// The filter `text` means over records with `fields`; throws with the position of the first problem.
    static func parse(_ text: String, fields: [String: FilterFieldType]) throws(FilterError) -> Filter {
        guard text.utf8.count <= maximumBytes else { throw FilterError(position: 1, problem: "the filter is longer than \(maximumBytes) bytes") }
        var parser = FilterParser(tokens: try FilterLexer.tokens(of: text), fields: fields)
        let filter = try parser.or()
        guard parser.current.kind == .end else { throw parser.unexpected("'&&', '||' or the end") }
        return filter
    }

    private init(tokens: [FilterToken], fields: [String: FilterFieldType]) {
        self.tokens = tokens
        self.fields = fields
    }

    private var current: FilterToken { tokens[index] }

    private mutating func advance() -> FilterToken {
        defer { index += 1 }
        return tokens[index]
    }

    private func unexpected(_ expected: String) -> FilterError {
        FilterError(position: current.position, problem: current.kind == .end ? "expected \(expected), found the end" : "expected \(expected)")
    }

    private mutating func or() throws(FilterError) -> Filter {
        var filter = try and()
        while current.kind == .or {
            index += 1
            filter = .or(filter, try and())
        }
        return filter
    }

    private mutating func and() throws(FilterError) -> Filter {
        var filter = try unary()
        while current.kind == .and {
            index += 1
            filter = .and(filter, try unary())
        }
        return filter
    }

    private mutating func unary() throws(FilterError) -> Filter {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw FilterError(position: current.position, problem: "nested deeper than \(Self.maximumDepth)") }
        switch current.kind {
        case .not:
            index += 1
            return .not(try unary())
        case .openParenthesis:
            index += 1
            let inner = try or()
            guard current.kind == .closeParenthesis else { throw unexpected("')'") }
            index += 1
            return inner
        case .variable(.callerAdmin):
            index += 1
            return .callerIsAdmin
        case .identifier(let name):
            return try term(name)
        default:
            throw unexpected("a field, '@caller.admin', '!' or '('")
        }
    }

    private mutating func term(_ name: String) throws(FilterError) -> Filter {
        let at = advance().position
        guard let type = fields[name] else {
            throw FilterError(position: at, problem: "unknown field '\(name)'; fields: \(fields.keys.sorted().joined(separator: ", "))")
        }
        switch current.kind {
        case .comparison(let comparison):
            let operatorAt = advance().position
            return .compare(name, comparison, try operand(for: name, type, comparison, at: operatorAt))
        case .keyword("in"):
            index += 1
            return .isIn(name, try list(for: name, type))
        case .keyword("is"):
            index += 1
            let negated = current.kind == .keyword("not")
            if negated { index += 1 }
            guard current.kind == .literal(.null) else { throw unexpected("'null'") }
            index += 1
            return .isNull(name, negated: negated)
        default:
            guard type == .boolean else { throw unexpected("a comparison, 'in' or 'is' after '\(name)' (only a boolean field stands alone)") }
            return .field(name)
        }
    }

    /// The value after `field OP`, checked against the field's type and the comparison.
    private mutating func operand(for name: String, _ type: FilterFieldType, _ comparison: FilterComparison,
                                  at operatorAt: Int) throws(FilterError) -> FilterOperand {
        switch comparison {
        case .contains, .notContains:
            guard type == .string || type == .array else { throw FilterError(position: operatorAt, problem: "'~' applies to text and array fields, not to '\(name)'") }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard type.isOrdered else { throw FilterError(position: operatorAt, problem: "'\(name)' has no order") }
        case .equal, .notEqual:
            guard type != .object && type != .array else { throw FilterError(position: operatorAt, problem: "'\(name)' is compared with '~' only") }
        }
        let token = advance()
        switch token.kind {
        case .literal(.null):
            throw FilterError(position: token.position, problem: "compare with null by 'is null' or 'is not null'")
        case .literal(let value):
            guard Self.fits(value, type == .array ? .string : type) || (type == .array && value.doubleValue != nil) else {
                throw FilterError(position: token.position, problem: "\(value.jsonText) does not fit '\(name)' (\(type))")
            }
            return .literal(value)
        case .variable(let variable):
            guard Self.fits(variable, type) else { throw FilterError(position: token.position, problem: "\(variable.rawValue) does not fit '\(name)' (\(type))") }
            return .variable(variable)
        default:
            index -= 1
            throw unexpected("a value (a JSON literal or @caller.id, @caller.email, @caller.admin, @caller.scopes, @now)")
        }
    }

    /// `[v1, v2, ...]`: literals that fit the field, at least one, at most `maximumListCount`.
    private mutating func list(for name: String, _ type: FilterFieldType) throws(FilterError) -> [JSONValue] {
        guard current.kind == .openBracket else { throw unexpected("'['") }
        guard type != .array && type != .object else { throw FilterError(position: current.position, problem: "'in' does not apply to '\(name)'") }
        index += 1
        var values: [JSONValue] = []
        while true {
            let token = advance()
            guard case .literal(let value) = token.kind, value != .null, Self.fits(value, type) else {
                index -= 1
                throw unexpected("a value that fits '\(name)' (\(type))")
            }
            values.append(value)
            guard values.count <= Self.maximumListCount else { throw FilterError(position: token.position, problem: "more than \(Self.maximumListCount) values") }
            if current.kind == .comma { index += 1; continue }
            guard current.kind == .closeBracket else { throw unexpected("',' or ']'") }
            index += 1
            return values
        }
    }

    private static func fits(_ value: JSONValue, _ type: FilterFieldType) -> Bool {
        switch (type, value) {
        case (.string, .string), (.date, .string), (.datetime, .string), (.boolean, .bool), (.number, .integer), (.number, .double),
             (.integer, .integer): true
        case (.integer, .double(let number)): number == number.rounded()
        default: false
        }
    }

    private static func fits(_ variable: FilterVariable, _ type: FilterFieldType) -> Bool {
        switch variable {
        case .callerID: type == .integer || type == .number
        case .callerEmail: type == .string || type == .array
        case .callerAdmin: type == .boolean
        case .callerScopes: false
        case .now: type == .datetime || type == .date
        }
    }
}
