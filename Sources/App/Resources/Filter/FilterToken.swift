import JSON

/// One token of the filter grammar (DESIGN §10), with where it starts.
struct FilterToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A field name.
        case identifier(String)
        /// `@caller.id`, `@caller.email`, `@caller.admin`, `@caller.scopes` or `@now`.
        case variable(FilterVariable)
        /// A JSON literal: a string, a number, `true`, `false` or `null`.
        case literal(JSONValue)
        /// `=`, `!=`, `<`, `<=`, `>`, `>=`, `~`, `!~`.
        case comparison(FilterComparison)
        case and, or, not, openParenthesis, closeParenthesis, openBracket, closeBracket, comma
        /// The words `in`, `is`, `not` (after `is`).
        case keyword(String)
        case end
    }

    let kind: Kind
    /// 1-based character position.
    let position: Int
}

/// What a filter can name about the request rather than the record.
enum FilterVariable: String, Sendable, CaseIterable {
    case callerID = "@caller.id"
    case callerEmail = "@caller.email"
    case callerAdmin = "@caller.admin"
    case callerScopes = "@caller.scopes"
    case now = "@now"
}

/// The comparisons of a term.
enum FilterComparison: String, Sendable {
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    /// Contains, case-insensitive (a substring of a string, an element of an array).
    case contains = "~"
    case notContains = "!~"
}
