import JSON

/// Reads and checks `realtime.channels`: `{"chat:{room}": {"subscribe": "authenticated", "publish": "authenticated",
/// "history": 50, "max_message_bytes": 4096}}`. Every mistake stops start-up with one line naming the key path.
enum ChannelDeclarationReader {
    private static let keys: Set<String> = ["subscribe", "publish", "history", "max_message_bytes"]

    /// The declarations of `section`, in declaration order.
    static func read(_ section: JSONValue) throws(ConfigError) -> [ChannelDeclaration] {
        guard let object = section.objectValue else { throw ConfigError("realtime.channels", "expected an object of channels, got \(section.jsonText)") }
        var declarations: [ChannelDeclaration] = []
        for member in object.members { declarations.append(try channel(member.key, member.value)) }
        return declarations
    }

    private static func channel(_ name: String, _ value: JSONValue) throws(ConfigError) -> ChannelDeclaration {
        let path = "realtime.channels.\(name)"
        let pattern: ChannelPattern
        do { pattern = try ChannelPattern(name) } catch { throw ConfigError(path, "not a channel pattern: \(error.description)") }
        guard let object = value.objectValue else { throw ConfigError(path, "expected an object, got \(value.jsonText)") }
        if let unknown = object.members.first(where: { !keys.contains($0.key) }) {
            throw ConfigError("\(path).\(unknown.key)", "unknown key (a channel has \(keys.sorted().joined(separator: ", ")))")
        }
        let fields = ChannelDeclaration.fields(of: pattern)
        func rule(_ key: String) throws(ConfigError) -> ResourceRule {
            guard let value = object[key] else { return .admin }
            guard let text = value.stringValue else { throw ConfigError("\(path).\(key)", "expected a rule (a string), got \(value.jsonText)") }
            return try ResourceDeclarationReader.rule(text, at: "\(path).\(key)", fields: fields)
        }
        func integer(_ key: String, _ range: ClosedRange<Int64>, default fallback: Int) throws(ConfigError) -> Int {
            guard let value = object[key] else { return fallback }
            guard let number = value.intValue, range.contains(number) else {
                throw ConfigError("\(path).\(key)", "expected an integer in \(range.lowerBound)...\(range.upperBound), got \(value.jsonText)")
            }
            return Int(number)
        }
        return ChannelDeclaration(pattern: pattern, subscribe: try rule("subscribe"), publish: try rule("publish"),
                                  history: try integer("history", 0...1000, default: 0),
                                  maxMessageBytes: try integer("max_message_bytes", 1...1_048_576, default: 4096))
    }
}
