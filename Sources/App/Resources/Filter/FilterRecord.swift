import JSON

/// A record a filter can be evaluated on: a value (or nothing) per field name.
protocol FilterRecord {
    /// The value of `field`, nil when the record has no such member (treated as null).
    func value(of field: String) -> JSONValue?
}

extension Dictionary: FilterRecord where Key == String, Value == JSONValue {
    func value(of field: String) -> JSONValue? { self[field] }
}

extension JSONObject: FilterRecord {
    func value(of field: String) -> JSONValue? { self[field] }
}
