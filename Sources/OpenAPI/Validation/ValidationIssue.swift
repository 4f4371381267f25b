public import JSON

/// One problem with a request, in Pydantic v2's shape: `{"type", "loc", "msg", "input", "ctx"?}`.
public struct ValidationIssue: Sendable, Equatable {
    /// Pydantic's error type (`missing`, `string_too_short`, `int_parsing`...).
    public var type: String
    /// Where: `"body"`, `"query"`, `"path"` or `"header"`, then member names and array indexes.
    public var location: [JSONValue]
    /// Pydantic's message for `type`.
    public var message: String
    /// The offending input as received.
    public var input: JSONValue
    /// The constraint that failed (`{"min_length": 8}`), when Pydantic reports one.
    public var context: JSONObject?

    /// An issue.
    public init(type: String, location: [JSONValue], message: String, input: JSONValue, context: JSONObject? = nil) {
        self.type = type
        self.location = location
        self.message = message
        self.input = input
        self.context = context
    }

    /// The issue as one element of FastAPI's `detail` array.
    public var json: JSONValue {
        var object: JSONObject = ["type": .string(type), "loc": .array(location), "msg": .string(message), "input": input]
        if let context { object["ctx"] = .object(context) }
        return .object(object)
    }
}
