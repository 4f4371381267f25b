import JSON

/// One declared field of a resource (DESIGN §10): its type with the type's constraints, whether it may be absent, and
/// its default. Every field is required unless it has a default or is optional.
struct ResourceField: Equatable, Sendable {
    /// What a field holds.
    indirect enum Kind: Equatable, Sendable {
        case string(minLength: Int?, maxLength: Int?, pattern: String?, format: String?, choices: [String]?)
        case integer(Bounds)
        case number(Bounds)
        case boolean, date, datetime
        /// An array of scalars.
        case array(items: Kind, minItems: Int?, maxItems: Int?)
        /// Free JSON, at most `maxBytes` serialized.
        case object(maxBytes: Int?)
        /// The id of a record of `to` (a resource, or `users`).
        case reference(to: String, onDelete: OnDelete)
    }

    /// `minimum`, `maximum` and their exclusive forms.
    struct Bounds: Equatable, Sendable {
        var minimum: Double?
        var maximum: Double?
        var exclusiveMinimum: Double?
        var exclusiveMaximum: Double?
    }

    /// What deleting the referenced record does to this one.
    enum OnDelete: String, Equatable, Sendable, CaseIterable {
        case restrict, cascade
        case setNull = "set_null"
    }

    let name: String
    let kind: Kind
    let isOptional: Bool
    let defaultValue: JSONValue?
    let description: String?
    /// The name the field had: the next migration renames the column instead of dropping one and adding another.
    var renamedFrom: String? = nil

    /// Whether a create may leave the field out.
    var isRequired: Bool { !isOptional && defaultValue == nil }

    /// How a filter treats the field.
    var filterType: FilterFieldType { kind.filterType }

    /// The field with `value` as its default, or itself when nil: how a new required field's column is added with the
    /// value `--set` gives the records that exist.
    func defaulting(to value: JSONValue?) -> ResourceField {
        value.map { ResourceField(name: name, kind: kind, isOptional: isOptional, defaultValue: $0, description: description) } ?? self
    }
}

extension ResourceField.Kind {
    var filterType: FilterFieldType {
        switch self {
        case .string: .string
        case .integer, .reference: .integer
        case .number: .number
        case .boolean: .boolean
        case .date: .date
        case .datetime: .datetime
        case .array: .array
        case .object: .object
        }
    }
}
