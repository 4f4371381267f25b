import JSON

/// Reads one field of a resource declaration and checks that its constraints belong to its type and its default
/// fits them.
enum ResourceFieldReader {
    /// Names every record has, which no declared field may take.
    static let systemNames: Set<String> = ["id", "owner_id", "created_at", "updated_at", "version"]

    private static let commonKeys: Set<String> = ["type", "optional", "default", "description", "renamed_from"]
    private static let keysByType: [String: Set<String>] = [
        "string": ["min_length", "max_length", "pattern", "format", "enum"],
        "integer": ["minimum", "maximum", "exclusive_minimum", "exclusive_maximum"],
        "number": ["minimum", "maximum", "exclusive_minimum", "exclusive_maximum"],
        "boolean": [], "date": [], "datetime": [],
        "array": ["items", "min_items", "max_items"],
        "object": ["max_bytes"],
        "reference": ["to", "on_delete"],
    ]
    private static let formats: Set<String> = ["email", "uri", "uuid"]

    static func field(_ name: String, _ value: JSONValue, at path: String) throws(ConfigError) -> ResourceField {
        try ResourceDeclarationReader.checkName(name, at: path, what: "field")
        guard !systemNames.contains(name) else { throw ConfigError(path, "'\(name)' is a field every record has; choose another name") }
        guard let object = value.objectValue else { throw ConfigError(path, "expected an object, got \(value.jsonText)") }
        let kind = try self.kind(object, at: path, allowsArray: true)
        let isOptional = try flag(object["optional"], at: "\(path).optional") ?? false
        let defaultValue = object["default"]
        if let defaultValue, !fits(defaultValue, kind) {
            throw ConfigError("\(path).default", "\(defaultValue.jsonText) is not a valid value of this field")
        }
        if case .reference = kind, defaultValue != nil { throw ConfigError("\(path).default", "a reference has no default") }
        let description = object["description"]?.stringValue
        if object["description"] != nil && description == nil { throw ConfigError("\(path).description", "expected a string") }
        return ResourceField(name: name, kind: kind, isOptional: isOptional, defaultValue: defaultValue, description: description,
                             renamedFrom: try ResourceDeclarationReader.previousName(object["renamed_from"], of: name, at: "\(path).renamed_from",
                                                                                     what: "field"))
    }

    /// The type and its constraints; only the keys of that type are allowed.
    private static func kind(_ object: JSONObject, at path: String, allowsArray: Bool) throws(ConfigError) -> ResourceField.Kind {
        guard let type = object["type"]?.stringValue, let allowed = keysByType[type] else {
            throw ConfigError("\(path).type", "expected one of \(keysByType.keys.sorted().joined(separator: ", ")), got \(object["type"]?.jsonText ?? "nothing")")
        }
        if let unknown = object.members.first(where: { !commonKeys.contains($0.key) && !allowed.contains($0.key) }) {
            throw ConfigError("\(path).\(unknown.key)", "not a constraint of a \(type) field (it takes \((allowed.union(commonKeys)).sorted().joined(separator: ", ")))")
        }
        switch type {
        case "string": return try string(object, at: path)
        case "integer": return .integer(try bounds(object, at: path, integral: true))
        case "number": return .number(try bounds(object, at: path, integral: false))
        case "boolean": return .boolean
        case "date": return .date
        case "datetime": return .datetime
        case "object": return .object(maxBytes: try count(object["max_bytes"], at: "\(path).max_bytes"))
        case "reference": return try reference(object, at: path)
        default:
            guard allowsArray else { throw ConfigError("\(path).type", "an array holds scalars, not \(type)s") }
            return try array(object, at: path)
        }
    }

    private static func string(_ object: JSONObject, at path: String) throws(ConfigError) -> ResourceField.Kind {
        let minimum = try count(object["min_length"], at: "\(path).min_length"), maximum = try count(object["max_length"], at: "\(path).max_length")
        if let minimum, let maximum, minimum > maximum { throw ConfigError("\(path).min_length", "is more than max_length") }
        let format = object["format"]?.stringValue
        if object["format"] != nil, format.map(formats.contains) != true {
            throw ConfigError("\(path).format", "expected one of \(formats.sorted().joined(separator: ", "))")
        }
        var pattern: String?
        if let value = object["pattern"] {
            guard let text = value.stringValue, !text.isEmpty, (try? Regex(text)) != nil else {
                throw ConfigError("\(path).pattern", "expected a regular expression, got \(value.jsonText)")
            }
            pattern = text
        }
        var choices: [String]?
        if let value = object["enum"] {
            guard let items = value.arrayValue?.compactMap(\.stringValue), !items.isEmpty, items.count == value.arrayValue?.count,
                  Set(items).count == items.count else { throw ConfigError("\(path).enum", "expected a non-empty array of distinct strings") }
            choices = items
        }
        return .string(minLength: minimum, maxLength: maximum, pattern: pattern, format: format, choices: choices)
    }

    private static func bounds(_ object: JSONObject, at path: String, integral: Bool) throws(ConfigError) -> ResourceField.Bounds {
        func number(_ key: String) throws(ConfigError) -> Double? {
            guard let value = object[key] else { return nil }
            guard let number = value.doubleValue, !integral || number == number.rounded() else {
                throw ConfigError("\(path).\(key)", "expected \(integral ? "an integer" : "a number"), got \(value.jsonText)")
            }
            return number
        }
        let bounds = ResourceField.Bounds(minimum: try number("minimum"), maximum: try number("maximum"),
                                          exclusiveMinimum: try number("exclusive_minimum"), exclusiveMaximum: try number("exclusive_maximum"))
        if let low = bounds.minimum ?? bounds.exclusiveMinimum, let high = bounds.maximum ?? bounds.exclusiveMaximum, low > high {
            throw ConfigError("\(path).minimum", "is more than the maximum")
        }
        return bounds
    }

    private static func array(_ object: JSONObject, at path: String) throws(ConfigError) -> ResourceField.Kind {
        guard let items = object["items"]?.objectValue else { throw ConfigError("\(path).items", "expected the items' declaration, {\"type\": ...}") }
        let itemKind = try kind(items, at: "\(path).items", allowsArray: false)
        switch itemKind {
        case .object, .reference, .array: throw ConfigError("\(path).items.type", "an array holds scalars (string, integer, number, boolean, date, datetime)")
        default: break
        }
        let minimum = try count(object["min_items"], at: "\(path).min_items"), maximum = try count(object["max_items"], at: "\(path).max_items")
        if let minimum, let maximum, minimum > maximum { throw ConfigError("\(path).min_items", "is more than max_items") }
        return .array(items: itemKind, minItems: minimum, maxItems: maximum)
    }

    private static func reference(_ object: JSONObject, at path: String) throws(ConfigError) -> ResourceField.Kind {
        guard let target = object["to"]?.stringValue else { throw ConfigError("\(path).to", "expected the name of a resource, or users") }
        guard let onDelete = ResourceField.OnDelete(rawValue: object["on_delete"]?.stringValue ?? "restrict") else {
            throw ConfigError("\(path).on_delete", "expected one of \(ResourceField.OnDelete.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if onDelete == .setNull, object["optional"]?.boolValue != true { throw ConfigError("\(path).on_delete", "set_null needs optional: true") }
        return .reference(to: target, onDelete: onDelete)
    }

    private static func count(_ value: JSONValue?, at path: String) throws(ConfigError) -> Int? {
        guard let value else { return nil }
        guard let count = value.intValue, count >= 0 else { throw ConfigError(path, "expected a non-negative integer, got \(value.jsonText)") }
        return Int(count)
    }

    static func flag(_ value: JSONValue?, at path: String) throws(ConfigError) -> Bool? {
        guard let value else { return nil }
        guard let flag = value.boolValue else { throw ConfigError(path, "expected true or false, got \(value.jsonText)") }
        return flag
    }

    /// Whether `value` is a value of `kind` within its constraints (a default is checked as a create would be).
    static func fits(_ value: JSONValue, _ kind: ResourceField.Kind) -> Bool {
        switch (kind, value) {
        case (.string(let minimum, let maximum, _, _, let choices), .string(let text)):
            let length = text.unicodeScalars.count
            return length >= (minimum ?? 0) && length <= (maximum ?? .max) && (choices?.contains(text) ?? true)
        case (.integer(let bounds), .integer(let number)): return within(Double(number), bounds)
        case (.number(let bounds), _) where value.doubleValue != nil: return within(value.doubleValue!, bounds)   // just checked
        case (.boolean, .bool), (.object, .object): return true
        case (.date, .string(let text)): return isDate(Substring(text))
        case (.datetime, .string(let text)):          // RFC 3339: a date, T, a time, and Z or an offset
            return text.utf8.count >= 20 && isDate(text.prefix(10)) && text.dropFirst(10).first.map { "Tt ".contains($0) } == true
        case (.array(let items, let minimum, let maximum), .array(let values)):
            return values.count >= (minimum ?? 0) && values.count <= (maximum ?? .max) && values.allSatisfy { fits($0, items) }
        default: return false
        }
    }

    /// `YYYY-MM-DD` with a month and day that can be.
    private static func isDate(_ text: Substring) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    private static func within(_ number: Double, _ bounds: ResourceField.Bounds) -> Bool {
        number >= (bounds.minimum ?? -.infinity) && number <= (bounds.maximum ?? .infinity)
            && number > (bounds.exclusiveMinimum ?? -.infinity) && number < (bounds.exclusiveMaximum ?? .infinity)
    }
}
