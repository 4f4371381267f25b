/// What a filter may do with a field, by its declared type (DESIGN §10's field types; a reference is its id).
enum FilterFieldType: Equatable, Sendable {
    case string, integer, number, boolean, date, datetime, array, object

    /// Whether `<`, `<=`, `>`, `>=` apply.
    var isOrdered: Bool { self != .boolean && self != .array && self != .object }
}
