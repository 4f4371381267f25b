public import JSON

/// One named member of a model: its schema, and whether it is required, what it defaults to, or whether it may
/// simply be left out.
public struct Property: Sendable {
    /// The member name, as it appears in JSON.
    public let name: String
    /// The member's schema.
    public let schema: Schema
    /// The value used when the member is absent; `nil` means the member is required (unless `isOmittable`).
    public let defaultValue: JSONValue?
    /// Whether an absent member stays absent: it is left out of the validated object, with no default filled in.
    public let isOmittable: Bool

    /// A property; give `default` to make it optional (`.null` for `X | None = None`).
    public init(_ name: String, _ schema: Schema, default defaultValue: JSONValue? = nil) {
        self.init(name, schema, defaultValue: defaultValue, isOmittable: false)
    }

    /// A member that may be left out, and then is absent from the validated object too, as in a PATCH body read
    /// with Pydantic's `exclude_unset`: a member not sent leaves the field as it is. A member sent is validated by
    /// `schema`, `null` included, so `null` is accepted (and clears the field) only if `schema` is nullable. The
    /// document lists it as not required and with no `default`.
    ///
    /// ```swift
    /// Property.omittable("due", Schema.date.orNull)   // absent: unchanged; null: cleared; "2024-05-01": set
    /// ```
    public static func omittable(_ name: String, _ schema: Schema) -> Property {
        Property(name, schema, defaultValue: nil, isOmittable: true)
    }

    private init(_ name: String, _ schema: Schema, defaultValue: JSONValue?, isOmittable: Bool) {
        self.name = name
        self.schema = schema
        self.defaultValue = defaultValue
        self.isOmittable = isOmittable
    }

    /// Whether the member must be present.
    public var isRequired: Bool { defaultValue == nil && !isOmittable }

    /// The same member, default and omittability with another schema.
    func withSchema(_ schema: Schema) -> Property {
        Property(name, schema, defaultValue: defaultValue, isOmittable: isOmittable)
    }
}
