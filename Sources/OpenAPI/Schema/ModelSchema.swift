/// The schema of an object type: its name in `components.schemas` and its properties in order.
public struct ModelSchema: Sendable {
    /// The component name (`UserCreate`).
    public let name: String
    /// The properties, in the order they are validated and documented.
    public let properties: [Property]
    /// Shown in the document.
    public let description: String?
    /// Whether a property, or a value inside one, is secret (`Schema.isSecret`).
    let holdsSecrets: Bool

    /// A model schema.
    public init(_ name: String, _ properties: [Property], description: String? = nil) {
        self.name = name
        self.properties = properties
        self.description = description
        holdsSecrets = properties.contains { $0.schema.mayHoldSecrets }
    }
}

extension ModelSchema {
    /// The schema as a form body has it. A form cannot carry `null` and a field sent empty counts as absent
    /// (as in FastAPI), so optional fields lose their `null` branch (absent means the default) and required
    /// string fields must be non-empty; the document then says exactly what is accepted.
    var asFormBody: ModelSchema {
        ModelSchema(name, properties.map { property in
            var schema = property.schema
            schema.isNullable = false
            if property.isRequired, schema.isString, (schema.minLength ?? 0) < 1 { schema.minLength = 1 }
            return property.withSchema(schema)
        }, description: description)
    }
}
