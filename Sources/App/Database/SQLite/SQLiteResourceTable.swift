import JSON
import Storage

/// One resource's table as SQLite holds it: the columns in the order readers see them, how each value is stored, and
/// the statements that do not depend on a request, built once when the store opens. Names are declared
/// identifiers (`^[a-z][a-z0-9_]*$`, checked when the config loads), quoted all the same; values are always bound.
struct SQLiteResourceTable: Sendable {
    typealias Storage = ResourceColumn.Storage
    typealias Column = ResourceColumn

    let declaration: ResourceDeclaration
    /// `id`, the declared fields, `owner_id`, `created_at`, `updated_at`, `version`.
    let columns: [Column]
    let quotedName: String
    let selectSQL: String
    let byIDSQL: String
    let insertSQL: String
    /// Every column given, `id` and `version` included (`api import`).
    let restoreSQL: String
    let deleteSQL: String
    let countSQL: String
    /// For each reference field: the statement that finds its target.
    let referenceChecks: [(field: String, target: String, sql: String)]

    init(_ declaration: ResourceDeclaration) {
        self.declaration = declaration
        let columns = ResourceColumn.all(of: declaration)
        self.columns = columns
        quotedName = Self.quoted(declaration.name)
        selectSQL = "SELECT \(columns.map { Self.quoted($0.name) }.joined(separator: ", ")) FROM \(quotedName)"
        byIDSQL = selectSQL + " WHERE \"id\" = ?"
        let written = columns.dropFirst().map(\.name).filter { $0 != "version" }
        insertSQL = "INSERT INTO \(quotedName) (\(written.map(Self.quoted).joined(separator: ", ")), \"version\") VALUES ("
            + Array(repeating: "?", count: written.count).joined(separator: ", ") + ", 1)"
        restoreSQL = "INSERT INTO \(quotedName) (\(columns.map { Self.quoted($0.name) }.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        deleteSQL = "DELETE FROM \(quotedName) WHERE \"id\" = ?"
        countSQL = "SELECT count(*) FROM \(quotedName)"
        referenceChecks = ResourceColumn.references(of: declaration).map { field, target in
            (field, target, "SELECT 1 FROM \(Self.quoted(target)) WHERE \"id\" = ?")
        }
    }

    /// `"name"`: an identifier quoted for SQL (declared names hold no quote).
    static func quoted(_ name: String) -> String { ResourceSQL.quoted(name) }

    /// The column named `name`.
    func column(_ name: String) -> Column? { columns.first { $0.name == name } }

    /// The record of a row selected by `selectSQL`.
    func record(_ row: Row) -> JSONObject {
        var members: [JSONMember] = []
        members.reserveCapacity(columns.count)
        for (index, column) in columns.enumerated() {
            members.append(JSONMember(key: column.name, value: Self.value(row, Int32(index), column.storage)))
        }
        return JSONObject(members)
    }

    /// Column `index` of `row`, stored as `storage`, as the API shows it.
    static func value(_ row: Row, _ index: Int32, _ storage: Storage) -> JSONValue {
        if row.isNull(index) { return .null }
        switch storage {
        case .integer: return .integer(row.int64(index))
        case .real: return .double(row.double(index))
        case .text: return .string(row.string(index))
        case .boolean: return .bool(row.bool(index))
        case .json: return (try? JSONParser.parse(Array(row.string(index).utf8))) ?? .null
        }
    }

    /// `value` as the column stores it: what a write binds, and what it reads back as (a number field's `5` is `5.0`).
    static func stored(_ value: JSONValue, _ storage: Storage) -> JSONValue {
        ResourceColumn.stored(value, storage)
    }

    /// `value` bound as column `storage` stores it.
    static func argument(_ value: JSONValue, storedAs storage: Storage) -> any SQLBindable {
        bindable(stored(value, storage))
    }

    /// `value` bound as the column of `field` stores it.
    func argument(_ value: JSONValue, for field: String) -> any SQLBindable {
        Self.argument(value, storedAs: column(field)?.storage ?? .text)
    }

    /// A value bound as a parameter.
    static func bindable(_ value: JSONValue) -> any SQLBindable {
        switch value {
        case .null: Int64?.none
        case .bool(let flag): flag
        case .integer(let integer): integer
        case .double(let number): number
        case .string(let text): text
        case .array, .object: String(decoding: value.serialized(), as: UTF8.self)
        }
    }
}
