import JSON

/// Turns schemas into JSON Schema, collecting each model it meets into `components.schemas` once and
/// referring to it with `$ref`.
struct ComponentCollector {
    private(set) var schemas = JSONObject()

    /// The JSON Schema of `schema`; models become `$ref`s.
    mutating func json(for schema: Schema) -> JSONValue {
        var object = base(schema)
        if let description = schema.description { object["description"] = .string(description) }
        if let example = schema.example { object["examples"] = .array([example]) }
        for member in schema.extensions.members { object[member.key] = member.value }
        guard schema.isNullable else { return .object(object) }
        // Pydantic writes `X | None` as anyOf with null, keeping the annotations outside.
        let (annotations, type) = (object.members.filter { Self.annotationKeys.contains($0.key) },
                                   object.members.filter { !Self.annotationKeys.contains($0.key) })
        return .object(JSONObject([JSONMember(key: "anyOf", value: [.object(JSONObject(type)), ["type": "null"]])] + annotations))
    }

    private static let annotationKeys: Set<String> = ["description", "examples"]

    private mutating func base(_ schema: Schema) -> JSONObject {
        switch schema.kind {
        case .string:
            var object: JSONObject = ["type": "string"]
            if let format = schema.format ?? (schema.isSecret ? "password" : nil) { object["format"] = .string(format) }
            if schema.isSecret { object["writeOnly"] = true }
            // Pydantic documents `AnyUrl` with `minLength: 1` (the empty string is refused as `input is empty`).
            if let minLength = schema.minLength ?? (schema.format == "uri" ? 1 : nil) { object["minLength"] = .integer(Int64(minLength)) }
            if let maxLength = schema.maxLength { object["maxLength"] = .integer(Int64(maxLength)) }
            if let pattern = schema.pattern { object["pattern"] = .string(pattern) }
            return object
        case .integer, .number:
            var object: JSONObject = ["type": schema.isInteger ? "integer" : "number"]
            if let bound = schema.minimum { object["minimum"] = bound }
            if let bound = schema.maximum { object["maximum"] = bound }
            if let bound = schema.exclusiveMinimum { object["exclusiveMinimum"] = bound }
            if let bound = schema.exclusiveMaximum { object["exclusiveMaximum"] = bound }
            return object
        case .boolean:
            return ["type": "boolean"]
        case .date:
            return ["type": "string", "format": "date"]
        case .dateTime:
            return ["type": "string", "format": "date-time"]
        case .object:
            // JSON Schema has no byte limit; an `x-` keyword is allowed in an OpenAPI 3.1 schema and ignored by
            // validators that do not know it.
            var object: JSONObject = ["type": "object"]
            if let maxBytes = schema.maxBytes { object["x-max-bytes"] = .integer(Int64(maxBytes)) }
            return object
        case .literal(let values):
            var object: JSONObject = ["enum": .array(values)]
            if values.allSatisfy({ $0.stringValue != nil }) { object["type"] = "string" }
            return object
        case .array(let element):
            var object: JSONObject = ["type": "array", "items": json(for: element)]
            if let minItems = schema.minItems { object["minItems"] = .integer(Int64(minItems)) }
            if let maxItems = schema.maxItems { object["maxItems"] = .integer(Int64(maxItems)) }
            return object
        case .model(let model):
            register(model)
            return ["$ref": .string("#/components/schemas/\(model.name)")]
        case .tagged(let property, let variants):
            // As Pydantic writes a discriminated union: oneOf the models, and the discriminator's mapping to them.
            var mapping = JSONObject()
            for variant in variants { mapping[variant.tag] = .string("#/components/schemas/\(variant.model.name)") }
            return ["oneOf": .array(variants.map { json(for: Schema(kind: .model($0.model))) }),
                    "discriminator": ["propertyName": .string(property), "mapping": .object(mapping)]]
        case .any:
            return [:]
        }
    }

    /// Adds `model` to `components.schemas` once. A second, different model of the same name would make every
    /// `$ref` to that name ambiguous: it stops the document's making (at start-up) instead of being dropped.
    private mutating func register(_ model: ModelSchema) {
        if let existing = schemas[model.name] {
            // An empty object is the placeholder of a model still being registered (one that refers to itself).
            precondition(existing == .object([:]) || existing == schema(of: model),
                         "two different models are named \(model.name) in components.schemas")
            return
        }
        schemas[model.name] = .object([:])  // placeholder first, so a model that refers to itself terminates
        schemas[model.name] = schema(of: model)
    }

    /// The JSON Schema of `model` itself (its nested models are registered as they are met).
    private mutating func schema(of model: ModelSchema) -> JSONValue {
        var properties = JSONObject()
        for property in model.properties {
            var object = json(for: property.schema).objectValue ?? [:]
            // Pydantic titles every member but a nested model, and writes no `default: null`.
            if !property.schema.isModel { object["title"] = .string(OpenAPIDocument.title(property.name)) }
            if let defaultValue = property.defaultValue, defaultValue != .null { object["default"] = defaultValue }
            properties[property.name] = .object(object)
        }
        var object: JSONObject = ["properties": .object(properties), "type": "object"]
        let required = model.properties.filter(\.isRequired).map { JSONValue.string($0.name) }
        if !required.isEmpty { object["required"] = .array(required) }
        object["title"] = .string(model.name)
        if let description = model.description { object["description"] = .string(description) }
        return .object(object)
    }
}

