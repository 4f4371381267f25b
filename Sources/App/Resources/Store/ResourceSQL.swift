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

    /// The column of `field` in an engine's words (its `type`, its `checks` of the column's values, its `literal`s):
    /// name, type, `NOT NULL` unless optional, the default, the checks, the reference.
    static func columnDefinition(_ field: ResourceField, type: String, checks: [String], literal: (JSONValue) -> String) -> String {
        var parts = [quoted(field.name), type]
        if !field.isOptional { parts.append("NOT NULL") }
        if let value = field.defaultValue { parts.append("DEFAULT \(literal(ResourceColumn.stored(value, field.kind.storage)))") }
        if !checks.isEmpty { parts.append("CHECK (\(checks.joined(separator: " AND ")))") }
        if case .reference(let target, let onDelete) = field.kind {
            parts.append("REFERENCES \(quoted(target)) (\"id\") ON DELETE \(onDelete.sql)")
        }
        return parts.joined(separator: " ")
    }

    /// `"name"`: an identifier quoted for SQL (declared names hold no quote).
    static func quoted(_ name: String) -> String { "\"\(name)\"" }
}

extension ResourceField.OnDelete {
    /// The SQL action.
    var sql: String {
        switch self {
        case .restrict: "RESTRICT"
        case .cascade: "CASCADE"
        case .setNull: "SET NULL"
        }
    }
}
