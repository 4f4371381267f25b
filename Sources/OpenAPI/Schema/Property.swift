public import JSON

/// One named member of a model: its schema, and whether it is required or what it defaults to.
public struct Property: Sendable {
    /// The member name, as it appears in JSON.
    public let name: String
    /// The member's schema.
    public let schema: Schema
    /// The value used when the member is absent; `nil` means the member is required.
    public let defaultValue: JSONValue?

    /// A property; give `default` to make it optional (`.null` for `X | None = None`).
    public init(_ name: String, _ schema: Schema, default defaultValue: JSONValue? = nil) {
        self.name = name
        self.schema = schema
        self.defaultValue = defaultValue
    }

    /// Whether the member must be present.
    public var isRequired: Bool { defaultValue == nil }
}
