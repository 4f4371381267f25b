import HTTP
public import JSON

/// One configuration key: its dotted path, the values it accepts, its default and what it does.
public struct ConfigKey: Sendable {
    /// What a key accepts.
    public enum Kind: Sendable {
        case string
        case boolean
        case integer(ClosedRange<Int64>)
        case number(ClosedRange<Double>)
        case choice([String])
        /// `on`, `off` or `sample:N` (N >= 1).
        case sampling
        /// An array of strings; in the environment, comma-separated.
        case stringList
        /// The `resources` section (DESIGN §10), checked whole by `ResourceDeclarationReader`; in the environment, JSON.
        case resources
        /// `realtime.channels` (DESIGN §11), checked whole by `ChannelDeclarationReader`; in the environment, JSON.
        case channels
    }

    /// The dotted path (`server.port`).
    public let path: String
    /// The values accepted.
    public let kind: Kind
    /// The value when nothing sets it.
    public let defaultValue: JSONValue
    /// One line for docs/configuration.md.
    public let summary: String

    /// The environment variable that overrides the key: `API_` + the path in upper case with `_` for `.`.
    public var environmentName: String {
        "API_" + path.uppercased().replacingDots(with: "_")
    }

    /// Checks `value` and returns it normalized (integers given as 10.0 stay integers); throws naming `source`.
    func validate(_ value: JSONValue, source: String) throws(ConfigError) -> JSONValue {
        switch kind {
        case .string:
            if case .string = value { return value }
            throw ConfigError(source, "expected a string, got \(value.jsonText)")
        case .boolean:
            if case .bool = value { return value }
            throw ConfigError(source, "expected true or false, got \(value.jsonText)")
        case .integer(let range):
            if let integer = value.intValue, range.contains(integer) { return .integer(integer) }
            throw ConfigError(source, "expected an integer in \(range.lowerBound)...\(range.upperBound), got \(value.jsonText)")
        case .number(let range):
            if let number = value.doubleValue, range.contains(number) { return value }
            throw ConfigError(source, "expected a number in \(range.lowerBound.compact)...\(range.upperBound.compact), got \(value.jsonText)")
        case .choice(let choices):
            if let text = value.stringValue, choices.contains(text) { return value }
            throw ConfigError(source, "expected one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), got \(value.jsonText)")
        case .sampling:
            if let text = value.stringValue, AccessLogMode(text) != nil { return value }
            throw ConfigError(source, "expected \"on\", \"off\" or \"sample:N\" with N >= 1, got \(value.jsonText)")
        case .stringList:
            if case .array(let items) = value, items.allSatisfy({ $0.stringValue != nil }) { return value }
            throw ConfigError(source, "expected an array of strings, got \(value.jsonText)")
        case .resources:
            _ = try ResourceDeclarationReader.read(value)
            return value
        case .channels:
            _ = try ChannelDeclarationReader.read(value)
            return value
        }
    }

    /// Reads an environment or flag string as this key's kind, then validates it.
    func validate(text: String, source: String) throws(ConfigError) -> JSONValue {
        switch kind {
        case .string, .choice, .sampling:
            return try validate(.string(text), source: source)
        case .stringList:
            let items = text.split(separator: ",").map { JSONValue.string(String($0.trimmingWhitespace())) }
            return try validate(.array(items), source: source)
        case .integer, .number, .boolean, .resources, .channels:
            // Parse as JSON so "8000" is a number, "true" a boolean, and "http" is reported as the string it is.
            let value = (try? JSONParser.parse(text)) ?? .string(text)
            return try validate(value, source: source)
        }
    }
}

extension String {
    func replacingDots(with replacement: Character) -> String {
        String(map { $0 == "." ? replacement : $0 })
    }
}

extension Double {
    /// `10` rather than `10.0` in messages.
    var compact: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}
