import JSON

/// The SQL text both engines write alike for the declared resources: index names and constants.
enum ResourceSQL {
    /// `projects__status__budget`, `projects__unique__owner_id__name` (`unique` is a keyword, so no field has that name).
    static func indexName(_ resource: String, _ fields: [String], isUnique: Bool) -> String {
        ([resource] + (isUnique ? ["unique"] : []) + fields).joined(separator: "__")
    }

    /// A constant as an SQL literal: text in single quotes with each quote doubled.
    static func literal(_ value: JSONValue) -> String {
        switch value {
        case .null: "NULL"
        case .bool(let flag): flag ? "1" : "0"
        case .integer(let integer): String(integer)
        case .double(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : "\(number)"
        case .string(let text): "'" + text.replacing("'", with: "''") + "'"
        case .array, .object: literal(.string(String(decoding: value.serialized(), as: UTF8.self)))
        }
    }
}
