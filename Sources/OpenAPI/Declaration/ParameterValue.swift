public import JSON

/// A Swift type a parameter can be read as, from the value validation produced for its schema.
public protocol ParameterValue: Sendable {
    /// Whether values validated against `schema` always convert to this type.
    static func accepts(_ schema: Schema) -> Bool
    /// Converts a validated value; only called with values that `schema` accepted.
    init(validated value: JSONValue)
}

extension ParameterValue where Self: FixedWidthInteger {
    /// Integers.
    public static func accepts(_ schema: Schema) -> Bool { schema.isInteger && !schema.isNullable }
    /// The validated integer.
    public init(validated value: JSONValue) {
        guard case .integer(let integer) = value, let exact = Self(exactly: integer) else { preconditionFailure("not an integer: \(value)") }
        self = exact
    }
}

extension Int: ParameterValue {}

extension Int64: ParameterValue {}

extension Double: ParameterValue {
    /// Numbers.
    public static func accepts(_ schema: Schema) -> Bool { schema.isNumber && !schema.isNullable }
    /// The validated number.
    public init(validated value: JSONValue) {
        guard let number = value.doubleValue else { preconditionFailure("not a number: \(value)") }
        self = number
    }
}

extension String: ParameterValue {
    /// Strings, including string literals.
    public static func accepts(_ schema: Schema) -> Bool { schema.isString && !schema.isNullable }
    /// The validated string.
    public init(validated value: JSONValue) {
        guard case .string(let string) = value else { preconditionFailure("not a string: \(value)") }
        self = string
    }
}

extension Bool: ParameterValue {
    /// Booleans.
    public static func accepts(_ schema: Schema) -> Bool {
        if case .boolean = schema.kind { !schema.isNullable } else { false }
    }
    /// The validated Boolean.
    public init(validated value: JSONValue) {
        guard case .bool(let flag) = value else { preconditionFailure("not a Boolean: \(value)") }
        self = flag
    }
}

extension Optional: ParameterValue where Wrapped: ParameterValue {
    /// The wrapped type's schemas, made nullable.
    public static func accepts(_ schema: Schema) -> Bool {
        var required = schema
        required.isNullable = false
        return schema.isNullable && Wrapped.accepts(required)
    }
    /// `nil` for `null`, else the wrapped value.
    public init(validated value: JSONValue) {
        self = value == .null ? nil : Wrapped(validated: value)
    }
}
