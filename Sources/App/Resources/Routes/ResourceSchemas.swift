import JSON
import OpenAPI

/// The bodies of one resource, derived from its declaration (DESIGN §10): `TitleCreate` (the declared fields,
/// required unless defaulted or optional; also the body of `PUT`), `TitleUpdate` (each field may be left out; `null`
/// clears an optional one), `TitlePublic` (the record as read), `TitlePublicPage` (a list's answer) and `TitleListItem`
/// (a record in a list: the fields asked for).
struct ResourceSchemas: Sendable {
    let create: ModelSchema
    let update: ModelSchema
    let read: ModelSchema
    let page: ModelSchema

    init(_ declaration: ResourceDeclaration) {
        let name = declaration.componentName
        create = ModelSchema(name + "Create", declaration.fields.map { field in
            // Optional, not nil: JSONValue is nil-literal convertible, so a bare `nil` here would be `.null`.
            let absent: JSONValue? = field.isOptional ? .null : Optional.none
            return Property(field.name, Self.schema(of: field), default: field.defaultValue ?? absent)
        }, description: declaration.description)
        update = ModelSchema(name + "Update", declaration.fields.map { Property.omittable($0.name, Self.schema(of: $0)) },
                             description: declaration.description)
        var members = [Property("id", .integer())]
        members += declaration.fields.map { Property($0.name, Self.schema(of: $0)) }
        if declaration.hasOwner { members.append(Property("owner_id", Schema.integer().described("The user who created the record."))) }
        members += [Property("created_at", .dateTime), Property("updated_at", .dateTime),
                    Property("version", Schema.integer(minimum: 1).described("1 when created, +1 per change."))]
        read = ModelSchema(name + "Public", members, description: declaration.description)
        // A list's items hold the fields `fields=` names, so none is required there.
        let item = ModelSchema(name + "ListItem", read.properties.map { Property.omittable($0.name, $0.schema) },
                               description: "A record as a list shows it: the fields `fields` names, all of them by default.")
        page = ModelSchema(name + "PublicPage", [
            Property("items", .array(of: Schema(kind: .model(item)))),
            Property("next_cursor", Schema.string().orNull.described("The `cursor` of the next page; null on the last.")),
            Property.omittable("total", Schema.integer().described("With `count=true`: how many records pass the filter.")),
        ])
    }

    /// The schema that validates and documents `field`: its type and constraints, nullable when optional.
    static func schema(of field: ResourceField) -> Schema {
        var schema = schema(of: field.kind)
        if field.isOptional { schema = schema.orNull }
        if let description = field.description { schema = schema.described(description) }
        return schema
    }

    private static func schema(of kind: ResourceField.Kind) -> Schema {
        switch kind {
        case .string(let minimum, let maximum, let pattern, let format, let choices):
            if let choices { return .oneOf(choices) }
            return .string(minLength: minimum, maxLength: maximum, pattern: pattern, format: format)
        // Numbers and Booleans are strict, as the document's types say: FastAPI's lax ones would also take "5", true or
        // "yes", which the document calls invalid (`is_admin` is strict for the same reason).
        case .integer(let bounds):
            return Schema.integer(minimum: bounds.minimum.map { Int64($0) }, maximum: bounds.maximum.map { Int64($0) },
                                  exclusiveMinimum: bounds.exclusiveMinimum.map { Int64($0) },
                                  exclusiveMaximum: bounds.exclusiveMaximum.map { Int64($0) }).strict
        case .number(let bounds):
            return Schema.number(minimum: bounds.minimum.map(number), maximum: bounds.maximum.map(number),
                                 exclusiveMinimum: bounds.exclusiveMinimum.map(number), exclusiveMaximum: bounds.exclusiveMaximum.map(number)).strict
        case .boolean: return .strictBoolean
        case .date: return .date
        case .datetime: return .dateTime
        case .array(let items, let minimum, let maximum): return .array(of: schema(of: items), minItems: minimum, maxItems: maximum)
        case .object(let maxBytes): return .object(maxBytes: maxBytes)
        case .reference(let target, _):
            return Schema.integer(minimum: 1).strict.described("The id of a record of \(target).").extended("x-references", .string(target))
        }
    }

    /// A bound as the config wrote it: `0`, not `0.0`, in messages and the document.
    private static func number(_ value: Double) -> JSONValue {
        value == value.rounded() && abs(value) < 1e15 ? .integer(Int64(value)) : .double(value)
    }
}
