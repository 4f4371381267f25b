public import JSON

/// The untyped declaration of one parameter, as the validator and the document see it.
public struct ParameterSpec: Sendable {
    /// The name in the path template, query string or header.
    public let name: String
    /// Where it is read from.
    public let location: ParameterLocation
    /// Its schema.
    public let schema: Schema
    /// The value when absent; `nil` makes the parameter required.
    public let defaultValue: JSONValue?
    /// Shown in the document.
    public let description: String?

    /// Whether the request must carry the parameter.
    public var isRequired: Bool { location == .path || defaultValue == nil }
}
