public import JSON

/// A typed parameter declaration: declared once, listed on an ``Operation``, and read in the handler as
/// `input[Self.limit]`, already validated and converted to `Value`.
///
/// ```swift
/// static let limit = Parameter<Int>.query("limit", .integer(minimum: 1, maximum: 100), default: 20)
/// ```
public struct Parameter<Value: ParameterValue>: Sendable {
    /// The declaration the validator and the document use.
    public let spec: ParameterSpec

    private init(_ name: String, _ location: ParameterLocation, _ schema: Schema, _ defaultValue: JSONValue?, _ description: String?) {
        precondition(Value.accepts(schema), "parameter \(name): schema does not describe \(Value.self)")
        spec = ParameterSpec(name: name, location: location, schema: schema, defaultValue: defaultValue, description: description)
    }

    /// A path parameter; its name must appear in the operation's path template.
    public static func path(_ name: String, _ schema: Schema, description: String? = nil) -> Self {
        Self(name, .path, schema, nil, description)
    }

    /// A query parameter; required unless it has a default (`.null` for an optional one).
    public static func query(_ name: String, _ schema: Schema, default defaultValue: JSONValue? = nil, description: String? = nil) -> Self {
        Self(name, .query, schema, defaultValue, description)
    }

    /// A header parameter, named as on the wire (`x-token`); required unless it has a default.
    public static func header(_ name: String, _ schema: Schema, default defaultValue: JSONValue? = nil, description: String? = nil) -> Self {
        Self(name, .header, schema, defaultValue, description)
    }
}
