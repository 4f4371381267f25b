import JSON
import OpenAPI

/// Reads the lines of `api import` into records, each checked as an admin's create would be (DESIGN §10, "Data in
/// and out"): the declared fields against the create body, and the system fields an export holds (`id`, `owner_id`,
/// `created_at`, `updated_at`, `version`) kept when given, so export, import, export gives the same bytes.
struct ResourceImporter {
    let declaration: ResourceDeclaration
    let format: TransferFormat
    private let create: ModelSchema
    private let columns: [String]

    init(_ declaration: ResourceDeclaration, format: TransferFormat, header: [String]?) {
        self.declaration = declaration
        self.format = format
        create = ResourceSchemas(declaration).create
        columns = header ?? TransferFormat.columns(of: declaration)
    }

    /// What is wrong with a line.
    struct Problems: Error {
        let issues: [ValidationIssue]
    }

    /// The record of `line`, or its problems (`loc` within the record).
    func record(_ line: Substring, now: String) -> Result<JSONObject, Problems> {
        let object: JSONObject
        switch format {
        case .ndjson:
            guard let parsed = try? JSONParser.parse(Array(line.utf8)), let members = parsed.objectValue else {
                return .failure(Problems(issues: [ValidationIssue(type: "json_invalid", location: [], message: "not a JSON object", input: .null)]))
            }
            object = members
        case .csv:
            guard let fields = CSVLine.parse(line), fields.count == columns.count else {
                return .failure(Problems(issues: [ValidationIssue(type: "csv_invalid", location: [], message: "expected \(columns.count) fields",
                                                                  input: .string(String(line)))]))
            }
            object = JSONObject(zip(columns, fields).compactMap { column, field in field.map { JSONMember(key: column, value: value(of: $0, column)) } })
        }
        return check(object, now: now)
    }

    /// A CSV field as the JSON value of its column's type (what it cannot be read as is left text, for the check to refuse).
    private func value(of text: String, _ column: String) -> JSONValue {
        switch declaration.filterFields[column] {
        case .integer?: Int64(text).map(JSONValue.integer) ?? .string(text)
        case .number?: Double(text).map(JSONValue.double) ?? .string(text)
        case .boolean?: text == "true" ? .bool(true) : text == "false" ? .bool(false) : .string(text)
        case .array?, .object?: (try? JSONParser.parse(Array(text.utf8))) ?? .string(text)
        default: .string(text)
        }
    }

    private func check(_ object: JSONObject, now: String) -> Result<JSONObject, Problems> {
        var validator = Validator()
        let declared = JSONObject(object.members.filter { member in declaration.fields.contains { $0.name == member.key } })
        let fields = validator.validateModel(.object(declared), create, at: []).objectValue ?? [:]
        let positive = Schema.integer(minimum: 1, maximum: Int64.max).strict
        func system(_ name: String, _ schema: Schema, _ absent: JSONValue?) -> JSONValue {
            guard let value = object[name], value != .null else {
                if absent == nil { validator.report(ValidationIssue(type: "missing", location: [.string(name)], message: "Field required", input: .object(object))) }
                return absent ?? .null
            }
            return validator.validate(value, against: schema, at: [.string(name)])
        }
        var record: [JSONMember] = [JSONMember(key: "id", value: system("id", positive, .null))]
        record += declaration.fields.map { JSONMember(key: $0.name, value: fields[$0.name] ?? .null) }
        if declaration.hasOwner { record.append(JSONMember(key: "owner_id", value: system("owner_id", positive, nil))) }
        record += [JSONMember(key: "created_at", value: system("created_at", .dateTime, .string(now))),
                   JSONMember(key: "updated_at", value: system("updated_at", .dateTime, .string(now))),
                   JSONMember(key: "version", value: system("version", positive, 1))]
        return validator.issues.isEmpty ? .success(JSONObject(record)) : .failure(Problems(issues: validator.issues))
    }
}
