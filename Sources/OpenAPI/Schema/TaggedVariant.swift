/// One model of a discriminated union (`Schema.tagged`): the value of the discriminating member that selects it.
public struct TaggedVariant: Sendable {
    /// The discriminating member's value (`"create"`).
    public let tag: String
    /// The model an object with that value is validated and documented by.
    public let model: ModelSchema

    /// A variant selected by `tag`.
    public init(_ tag: String, _ model: ModelSchema) {
        self.tag = tag
        self.model = model
    }
}
