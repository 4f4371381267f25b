import JSON
import Postgres

/// One resource's table as PostgreSQL holds it: the columns in the order readers see them, and the statements that do
/// not depend on a request, built once when the store opens. Names are declared identifiers (checked when the config
/// loads), quoted all the same; values are always parameters, in PostgreSQL's text format.
struct PostgresResourceTable: Sendable {
    let declaration: ResourceDeclaration
    /// `id`, the declared fields, `owner_id`, `created_at`, `updated_at`, `version`.
    let columns: [ResourceColumn]
    let quotedName: String
    let selectSQL: String
    let byIDSQL: String
    let insertSQL: String
    /// Every column given, `id` and `version` included (`api import`).
    let restoreSQL: String
    /// Moves the table's id sequence past every id in it, after records came with their ids.
    let advanceIDsSQL: String
    let deleteSQL: String
    let countSQL: String
    /// For each reference field: the statement that finds its target.
    let referenceChecks: [(field: String, target: String, sql: String)]

    init(_ declaration: ResourceDeclaration) {
        self.declaration = declaration
        columns = ResourceColumn.all(of: declaration)
        quotedName = Self.quoted(declaration.name)
        let list = columns.map { Self.quoted($0.name) }.joined(separator: ", ")
        selectSQL = "SELECT \(list) FROM \(quotedName)"
        byIDSQL = selectSQL + " WHERE \"id\" = $1"
        let written = columns.dropFirst().map(\.name).filter { $0 != "version" }
        insertSQL = "INSERT INTO \(quotedName) (\(written.map(Self.quoted).joined(separator: ", ")), \"version\") VALUES ("
            + Self.placeholders(written.count) + ", 1) RETURNING \"id\""
        restoreSQL = "INSERT INTO \(quotedName) (\(list)) VALUES (" + Self.placeholders(columns.count) + ")"
        advanceIDsSQL = "SELECT setval(pg_get_serial_sequence('\(quotedName)', 'id'), greatest((SELECT max(\"id\") FROM \(quotedName)), 1))"
        deleteSQL = "DELETE FROM \(quotedName) WHERE \"id\" = $1"
        countSQL = "SELECT count(*) FROM \(quotedName)"
        referenceChecks = ResourceColumn.references(of: declaration).map { field, target in
            (field, target, "SELECT 1 FROM \(Self.quoted(target)) WHERE \"id\" = $1")
        }
    }

    /// `"name"`: an identifier quoted for SQL (declared names hold no quote).
    static func quoted(_ name: String) -> String { ResourceSQL.quoted(name) }

    /// `$1, $2, ... $count`.
    private static func placeholders(_ count: Int) -> String {
        (1...max(1, count)).map { "$\($0)" }.joined(separator: ", ")
    }

    /// The column named `name`.
    func column(_ name: String) -> ResourceColumn? { columns.first { $0.name == name } }

    /// The record of a row selected by `selectSQL` (or returned with its columns).
    func record(_ row: PostgresRow) -> JSONObject {
        JSONObject(columns.enumerated().map { index, column in JSONMember(key: column.name, value: Self.value(row.optionalString(index), column.storage)) })
    }

    /// A column's text, stored as `storage`, as the API shows it.
    static func value(_ text: String?, _ storage: ResourceColumn.Storage) -> JSONValue {
        guard let text else { return .null }
        switch storage {
        case .integer: return Int64(text).map(JSONValue.integer) ?? .null
        case .real: return Double(text).map(JSONValue.double) ?? .null
        case .text: return .string(text)
        case .boolean: return .bool(text == "t")
        case .json: return (try? JSONParser.parse(Array(text.utf8))) ?? .null
        }
    }

    /// `value` as a parameter's text, as a column of `storage` keeps it.
    static func parameter(_ value: JSONValue, storedAs storage: ResourceColumn.Storage) -> String? {
        parameter(ResourceColumn.stored(value, storage))
    }

    /// `value` as a parameter of the column of `field`.
    func parameter(_ value: JSONValue, for field: String) -> String? {
        Self.parameter(value, storedAs: column(field)?.storage ?? .text)
    }

    /// A value as a parameter's text: numbers as JSON writes them, arrays and objects as JSON.
    static func parameter(_ value: JSONValue) -> String? {
        switch value {
        case .null: nil
        case .bool(let flag): flag ? "t" : "f"
        case .string(let text): text
        case .integer, .double, .array, .object: String(decoding: value.serialized(), as: UTF8.self)
        }
    }
}

/// The parameters of a statement being built, numbered as they are added.
struct PostgresParameters {
    private(set) var texts: [String?] = []

    /// Adds `text` and returns its placeholder (`$3`).
    mutating func add(_ text: String?) -> String {
        texts.append(text)
        return "$\(texts.count)"
    }
}
