public import JSON

/// A record's fields declared once, from which the bodies that create, update and read it are derived, so the
/// three never drift apart: `NameCreate` (the written fields, required unless they have a default), `NameUpdate`
/// (the same fields, each optional: absent or `null` leaves it as it is) and `NamePublic` (what a reader sees).
///
/// ```swift
/// static let user = ModelDeclaration("User", [
///     .readOnly("id", .integer()),
///     .field("name", .string(minLength: 1, maxLength: 100)),
///     .writeOnly("password", Schema.string(minLength: 8).secret),
///     .field("is_admin", .strictBoolean, default: false),
/// ])
/// ```
public struct ModelDeclaration: Sendable {
    /// One field and how it takes part.
    public struct Field: Sendable {
        /// Which bodies show the field.
        public enum Role: Sendable {
            /// Written on create and update, and read back.
            case readWrite
            /// Only read back (an id, a timestamp the server sets).
            case readOnly
            /// Only written, never shown (a password).
            case writeOnly
        }

        /// The name, as in JSON.
        public let name: String
        /// The schema when written; read back with it too.
        public let schema: Schema
        /// Which bodies show the field.
        public let role: Role
        /// The value a create without the field takes; nil makes the field required there.
        public let createDefault: JSONValue?

        /// A field written and read back; `default` makes it optional on create.
        public static func field(_ name: String, _ schema: Schema, default value: JSONValue? = nil) -> Field {
            Field(name: name, schema: schema, role: .readWrite, createDefault: value)
        }

        /// A field only read back.
        public static func readOnly(_ name: String, _ schema: Schema) -> Field {
            Field(name: name, schema: schema, role: .readOnly, createDefault: nil)
        }

        /// A field only written.
        public static func writeOnly(_ name: String, _ schema: Schema, default value: JSONValue? = nil) -> Field {
            Field(name: name, schema: schema, role: .writeOnly, createDefault: value)
        }
    }

    /// The record's name: the bodies are `NameCreate`, `NameUpdate` and `NamePublic`.
    public let name: String
    /// The fields, in the order the bodies list them.
    public let fields: [Field]

    /// A declaration of `fields`.
    public init(_ name: String, _ fields: [Field]) {
        self.name = name
        self.fields = fields
    }

    /// The body that creates a record.
    public var create: ModelSchema {
        ModelSchema(name + "Create", written.map { Property($0.name, $0.schema, default: $0.createDefault) })
    }

    /// The body that changes a record: every written field optional, `null` or absent leaving it as it is.
    public var update: ModelSchema {
        ModelSchema(name + "Update", written.map { Property($0.name, $0.schema.orNull, default: .null) })
    }

    /// The record as a reader sees it.
    public var read: ModelSchema {
        ModelSchema(name + "Public", fields.filter { $0.role != .writeOnly }.map { Property($0.name, $0.schema) })
    }

    private var written: [Field] { fields.filter { $0.role != .readOnly } }
}
