import JSON

/// One column of a resource's table, in the order readers see them, and how its values are stored: what both engines'
/// tables are made of (`SQLiteResourceTable`, `PostgresResourceTable`).
struct ResourceColumn: Sendable {
    /// How a column's value is stored and read back.
    enum Storage: Sendable {
        case integer, real, text, boolean
        /// An array or object, as JSON text.
        case json
    }

    let name: String
    let storage: Storage
    let isNullable: Bool

    /// `id`, the declared fields, `owner_id`, `created_at`, `updated_at`, `version`: the columns of `declaration`'s table.
    static func all(of declaration: ResourceDeclaration) -> [ResourceColumn] {
        var columns = [ResourceColumn(name: "id", storage: .integer, isNullable: false)]
        columns += declaration.fields.map { ResourceColumn(name: $0.name, storage: $0.kind.storage, isNullable: $0.isOptional) }
        if declaration.hasOwner { columns.append(ResourceColumn(name: "owner_id", storage: .integer, isNullable: false)) }
        columns += [ResourceColumn(name: "created_at", storage: .text, isNullable: false), ResourceColumn(name: "updated_at", storage: .text, isNullable: false),
                    ResourceColumn(name: "version", storage: .integer, isNullable: false)]
        return columns
    }

    /// `value` as a column of `storage` keeps it: what a write stores, and what it reads back as (a number field's `5`
    /// is `5.0`).
    static func stored(_ value: JSONValue, _ storage: Storage) -> JSONValue {
        if case .real = storage, case .integer(let integer) = value { return .double(Double(integer)) }
        return value
    }

    /// The record an insert of `declaration` made: `id`, the fields as stored, `owner_id`, the times, version 1.
    static func inserted(_ declaration: ResourceDeclaration, id: Int64, fields: [JSONValue], ownerID: Int64?, at now: String) -> JSONObject {
        var members = [JSONMember(key: "id", value: .integer(id))]
        members += zip(declaration.fields, fields).map { JSONMember(key: $0.name, value: $1) }
        if declaration.hasOwner { members.append(JSONMember(key: "owner_id", value: ownerID.map(JSONValue.integer) ?? .null)) }
        members += [JSONMember(key: "created_at", value: .string(now)), JSONMember(key: "updated_at", value: .string(now)),
                    JSONMember(key: "version", value: 1)]
        return JSONObject(members)
    }

    /// The reference fields of `declaration` (and `owner_id`, a reference to `users`), with the resource each names.
    static func references(of declaration: ResourceDeclaration) -> [(field: String, target: String)] {
        declaration.fields.compactMap { field in
            guard case .reference(let target, _) = field.kind else { return nil }
            return (field.name, target)
        } + (declaration.hasOwner ? [("owner_id", "users")] : [])
    }
}

extension ResourceField.Kind {
    /// How a column of this kind stores its values.
    var storage: ResourceColumn.Storage {
        switch self {
        case .string, .date, .datetime: .text
        case .integer, .reference: .integer
        case .number: .real
        case .boolean: .boolean
        case .array, .object: .json
        }
    }
}
