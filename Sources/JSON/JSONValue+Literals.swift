/// Lets values be written as Swift literals, e.g. `let body: JSONValue = ["detail": "Not Found"]`.
extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `nil` is `.null`.
    public init(nilLiteral: ()) {
        self = .null
    }

    /// A Boolean literal is `.bool`.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }

    /// An integer literal is `.integer`.
    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }

    /// A floating-point literal is `.double`.
    public init(floatLiteral value: Double) {
        self = .double(value)
    }

    /// A string literal is `.string`.
    public init(stringLiteral value: String) {
        self = .string(value)
    }

    /// An array literal is `.array`.
    public init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }

    /// A dictionary literal is `.object`, members in the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { JSONMember(key: $0.0, value: $0.1) }))
    }
}
