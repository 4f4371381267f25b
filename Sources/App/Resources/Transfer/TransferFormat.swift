import JSON

/// How `api export` writes records and `api import` reads them: NDJSON (one JSON object per line, the default) or CSV
/// with a header row (RFC 4180; arrays and objects as JSON text, null as an empty field, the empty string as `""`).
enum TransferFormat: String, Sendable, CaseIterable {
    case ndjson, csv

    /// The columns of `declaration`'s records, in the order records and CSV headers have them.
    static func columns(of declaration: ResourceDeclaration) -> [String] {
        ["id"] + declaration.fields.map(\.name) + (declaration.hasOwner ? ["owner_id"] : []) + ["created_at", "updated_at", "version"]
    }

    /// The CSV header, or nil for NDJSON.
    func header(for declaration: ResourceDeclaration) -> String? {
        header(columns: Self.columns(of: declaration))
    }

    /// The CSV header of `columns`, or nil for NDJSON.
    func header(columns: [String]) -> String? {
        self == .csv ? CSVLine.format(columns) : nil
    }

    /// `record` as one line.
    func line(_ record: JSONObject, of declaration: ResourceDeclaration) -> String {
        line(record, columns: Self.columns(of: declaration))
    }

    /// `record`, whose members are `columns`, as one line.
    func line(_ record: JSONObject, columns: [String]) -> String {
        switch self {
        case .ndjson: return JSONValue.object(record).jsonText
        case .csv:
            return CSVLine.format(columns.map { column in
                switch record[column] ?? .null {
                case .null: nil
                case .string(let text): text
                case .bool(let flag): flag ? "true" : "false"
                case let value: value.jsonText
                }
            })
        }
    }
}
