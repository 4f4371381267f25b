public import JSON

/// The JSON Schema of one value: its type and the constraints declared once and used twice, to
/// validate requests (with Pydantic's error types) and to write `components.schemas` in `/openapi.json`.
///
/// ```swift
/// Schema.string(minLength: 2, maxLength: 10)
/// Schema.integer(minimum: 1, maximum: 100)
/// Schema.model(Address.self).orNull
/// Schema.dateTime
/// Schema.object(maxBytes: 4096)
/// ```
public struct Schema: Sendable {
    /// What kind of value the schema accepts.
    public indirect enum Kind: Sendable {
        /// A string, with the string constraints.
        case string
        /// An integer, with the numeric bounds.
        case integer
        /// Any number, with the numeric bounds.
        case number
        /// `true` or `false`.
        case boolean
        /// A calendar date, `YYYY-MM-DD` (Pydantic's `datetime.date`).
        case date
        /// An instant in RFC 3339 form, validated into UTC (Pydantic's `datetime.datetime`).
        case dateTime
        /// A JSON object of any members, with `maxBytes` (Pydantic's `dict`).
        case object
        /// An array of elements matching the schema, with `minItems`/`maxItems`.
        case array(Schema)
        /// An object described by a model, written as a `$ref` to `components.schemas`.
        case model(ModelSchema)
        /// One of several models, chosen by the value of a string member they all have (`op`): a discriminated union,
        /// as Pydantic's `Field(discriminator=...)`.
        case tagged(property: String, variants: [TaggedVariant])
        /// One of fixed values (`Literal[...]` in Pydantic).
        case literal([JSONValue])
        /// Any JSON value.
        case any
    }

    /// The kind of value.
    public var kind: Kind
    /// Whether `null` is accepted too (`anyOf: [..., {"type": "null"}]`).
    public var isNullable = false
    /// String length bounds, counted in Unicode scalars as Python counts characters.
    public var minLength: Int?
    /// See `minLength`.
    public var maxLength: Int?
    /// A regular expression the string must contain a match of (anchor it with `^...$` to match whole strings).
    public var pattern: String? { matcher?.pattern }
    /// The compiled `pattern`.
    var matcher: PatternMatcher?
    /// A string format: `email`, `uuid` and `uri` are checked as Pydantic checks `EmailStr`, `UUID` and `AnyUrl`;
    /// others are only documented.
    public var format: String?
    /// Inclusive lower bound (`ge`), as written: `.integer(0)` or `.double(0.5)`.
    public var minimum: JSONValue?
    /// Inclusive upper bound (`le`).
    public var maximum: JSONValue?
    /// Exclusive lower bound (`gt`).
    public var exclusiveMinimum: JSONValue?
    /// Exclusive upper bound (`lt`).
    public var exclusiveMaximum: JSONValue?
    /// Array length bounds.
    public var minItems: Int?
    /// See `minItems`.
    public var maxItems: Int?
    /// The most bytes an object may take once serialized (`JSONValue.serialized()`, compact).
    public var maxBytes: Int?
    /// Shown in the document.
    public var description: String?
    /// An example value for the document and the docs pages.
    public var example: JSONValue?
    /// Whether only the JSON type itself is accepted, without lax coercions (Pydantic's strict mode): a Boolean only
    /// from `true`/`false` (`strictBoolean`), a number only from a JSON number (`.integer().strict`), so the validator
    /// takes exactly what the document's `type` says.
    public var isStrict = false
    /// Whether the value is a secret (a password, a token): never echoed in a validation error, whose `input` shows
    /// `Validator.mask` instead, and documented as Pydantic documents `SecretStr` (`format: password`, `writeOnly`).
    public var isSecret = false
    /// Specification extensions (`x-...` members, OpenAPI 3.1 §4.9) written into the document as they are: what JSON
    /// Schema cannot say but a client or a tool may use (`x-references` on a reference's id).
    public var extensions = JSONObject()

    /// A schema of `kind` with no constraints.
    public init(kind: Kind) {
        self.kind = kind
    }

    // MARK: - Builders

    /// A string with optional length bounds, pattern and format.
    public static func string(minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil, format: String? = nil) -> Schema {
        var schema = Schema(kind: .string)
        schema.minLength = minLength
        schema.maxLength = maxLength
        schema.matcher = pattern.map(PatternMatcher.init)
        schema.format = format
        return schema
    }

    /// An email address, checked as Pydantic's `EmailStr` checks it; the domain is lowercased.
    public static var email: Schema { .string(format: "email") }

    /// A UUID, checked as Pydantic's `UUID` checks it (32 hex digits, hyphenated, braced or `urn:uuid:`); the value
    /// becomes its lowercase hyphenated form.
    public static var uuid: Schema { .string(format: "uuid") }

    /// An absolute URL, checked as Pydantic's `AnyUrl` checks it; the value is kept as written.
    public static var uri: Schema { .string(format: "uri") }

    /// A calendar date, `YYYY-MM-DD`, checked as Pydantic checks a `datetime.date` (a date-time exactly at midnight
    /// is taken as its date). The value is the date as `YYYY-MM-DD`.
    public static var date: Schema { Schema(kind: .date) }

    /// An RFC 3339 date-time (`2024-05-01T10:00:00Z`; `t`, `z` and a space separator accepted, a date alone is
    /// midnight), checked as Pydantic checks a `datetime.datetime`. The value is the instant in UTC, to the
    /// millisecond, as `YYYY-MM-DDTHH:MM:SS.mmmZ`: always 24 characters, the form of the server's own timestamps,
    /// so stored values sort as text in time order. One without an offset is taken as UTC.
    public static var dateTime: Schema { Schema(kind: .dateTime) }

    /// A JSON object with any members (free JSON), at most `maxBytes` once serialized.
    public static func object(maxBytes: Int? = nil) -> Schema {
        var schema = Schema(kind: .object)
        schema.maxBytes = maxBytes
        return schema
    }

    /// An integer with optional bounds.
    public static func integer(minimum: Int64? = nil, maximum: Int64? = nil,
                               exclusiveMinimum: Int64? = nil, exclusiveMaximum: Int64? = nil) -> Schema {
        var schema = Schema(kind: .integer)
        schema.minimum = minimum.map(JSONValue.integer)
        schema.maximum = maximum.map(JSONValue.integer)
        schema.exclusiveMinimum = exclusiveMinimum.map(JSONValue.integer)
        schema.exclusiveMaximum = exclusiveMaximum.map(JSONValue.integer)
        return schema
    }

    /// A number with optional bounds, given as JSON numbers so messages show them as written (`0` or `0.5`).
    public static func number(minimum: JSONValue? = nil, maximum: JSONValue? = nil,
                              exclusiveMinimum: JSONValue? = nil, exclusiveMaximum: JSONValue? = nil) -> Schema {
        var schema = Schema(kind: .number)
        schema.minimum = minimum
        schema.maximum = maximum
        schema.exclusiveMinimum = exclusiveMinimum
        schema.exclusiveMaximum = exclusiveMaximum
        return schema
    }

    /// `true` or `false`, or what Pydantic's lax mode reads as one (`0`, `1`, `"yes"`, `"off"`...), as FastAPI's `bool`.
    public static var boolean: Schema { Schema(kind: .boolean) }

    /// `true` or `false` and nothing else, as Pydantic's `StrictBool`: what the document's `boolean` says.
    public static var strictBoolean: Schema {
        var schema = Schema(kind: .boolean)
        schema.isStrict = true
        return schema
    }

    /// Any JSON value.
    public static var any: Schema { Schema(kind: .any) }

    /// One of the given strings.
    public static func oneOf(_ values: [String]) -> Schema {
        Schema(kind: .literal(values.map(JSONValue.string)))
    }

    /// An array of `element`s with optional length bounds.
    public static func array(of element: Schema, minItems: Int? = nil, maxItems: Int? = nil) -> Schema {
        var schema = Schema(kind: .array(element))
        schema.minItems = minItems
        schema.maxItems = maxItems
        return schema
    }

    /// One of `variants`, chosen by the value of their member `property` (each variant declares it as a one-value
    /// literal): `Schema.tagged(by: "op", [TaggedVariant("create", createModel), ...])`.
    public static func tagged(by property: String, _ variants: [TaggedVariant]) -> Schema {
        Schema(kind: .tagged(property: property, variants: variants))
    }

    /// An object described by `model`.
    public static func model(_ model: any Model.Type) -> Schema {
        Schema(kind: .model(model.schema))
    }

    /// The same schema, also accepting `null`.
    public var orNull: Schema {
        var schema = self
        schema.isNullable = true
        return schema
    }

    /// The same schema, taking only its own JSON type (`isStrict`).
    public var strict: Schema {
        var schema = self
        schema.isStrict = true
        return schema
    }

    /// The same schema with a description.
    public func described(_ text: String) -> Schema {
        var schema = self
        schema.description = text
        return schema
    }

    /// The same schema, holding a secret (`isSecret`).
    public var secret: Schema {
        var schema = self
        schema.isSecret = true
        return schema
    }

    /// The same schema with an example.
    public func example(_ value: JSONValue) -> Schema {
        var schema = self
        schema.example = value
        return schema
    }

    /// The same schema with the specification extension `name` (which must start with `x-`) set to `value`.
    public func extended(_ name: String, _ value: JSONValue) -> Schema {
        precondition(name.hasPrefix("x-"), "a specification extension starts with x-: \(name)")
        var schema = self
        schema.extensions[name] = value
        return schema
    }
}

extension Schema {
    /// Whether this schema, or one inside it, is secret: only such values need masking in errors. A model's answer
    /// is its own (`ModelSchema.holdsSecrets`), found once.
    var mayHoldSecrets: Bool {
        switch kind {
        case .model(let model): isSecret || model.holdsSecrets
        case .array(let element): isSecret || element.mayHoldSecrets
        case .tagged(_, let variants): isSecret || variants.contains { $0.model.holdsSecrets }
        default: isSecret
        }
    }

    var isInteger: Bool { if case .integer = kind { true } else { false } }
    var isNumber: Bool { if case .number = kind { true } else { false } }
    var isModel: Bool { if case .model = kind { true } else { false } }
    /// Strings, and literals whose values are all strings.
    var isString: Bool {
        switch kind {
        case .string: true
        case .literal(let values): values.allSatisfy { $0.stringValue != nil }
        default: false
        }
    }
}
