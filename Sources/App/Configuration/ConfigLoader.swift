import HTTP
public import JSON

/// Resolves the configuration: defaults < file < environment (`API_SECTION_KEY`) < command-line flags.
public struct ConfigLoader {
    /// The file read when `--config` is not given, if it exists.
    public static let defaultFile = "./api.json"

    private var values: [String: JSONValue] = [:]

    /// Loads and checks everything; `flags` maps key paths to the flag text that set them (`server.port` -> `8080`).
    public static func load(
        file: String?, environment: [String: String], flags: [(path: String, flag: String, value: String)]
    ) throws(ConfigError) -> Config {
        var loader = ConfigLoader()
        for key in ConfigSchema.keys { loader.values[key.path] = key.defaultValue }
        if let path = file ?? (FileSystem.exists(defaultFile) ? defaultFile : nil) {
            try loader.apply(file: path)
        }
        try loader.apply(environment: environment)
        for (path, flag, value) in flags {
            guard let key = ConfigSchema.key(path) else { preconditionFailure("flag \(flag) maps to unknown key \(path)") }
            loader.values[path] = try key.validate(text: value, source: flag)
        }
        try loader.checkCombinations()
        return Config(values: loader.values)
    }

    /// What no single key's check sees: values that are each valid but wrong in the shape or company they have.
    private func checkCombinations() throws(ConfigError) {
        let origins = values["http.cors.allow_origins"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if let origin = origins.first(where: { $0 != "*" && !Self.isOrigin($0) }) {
            throw ConfigError("http.cors.allow_origins", "'\(origin)' is not an origin: write scheme://host[:port] with no path (https://app.example.com)")
        }
        if origins.contains("*") && values["http.cors.allow_credentials"]?.boolValue == true {
            throw ConfigError("http.cors.allow_origins", "'*' cannot be used with http.cors.allow_credentials: name the origins")
        }
        for (index, rule) in (values["http.rate_limits.rules"]?.arrayValue ?? []).enumerated() {
            let name: String
            do { name = try RateLimitRule(parsing: rule.stringValue ?? "").name } catch {
                throw ConfigError("http.rate_limits.rules[\(index)]", error.description)
            }
            if name.hasPrefix("login_") {
                throw ConfigError("http.rate_limits.rules[\(index)]", "names beginning with login_ are the login throttle's (auth.login_throttle)")
            }
        }
        if values["http.rate_limits.shared"]?.boolValue == true && (values["database.url"]?.stringValue ?? "").isEmpty {
            throw ConfigError("http.rate_limits.shared", "the instances share their counts through PostgreSQL: set database.url too")
        }
        let publicURL = values["server.public_url"]?.stringValue ?? ""
        if !publicURL.isEmpty && !publicURL.hasPrefix("http://") && !publicURL.hasPrefix("https://") {
            throw ConfigError("server.public_url", "expected a URL starting with https:// or http://, got '\(publicURL)'")
        }
    }

    /// `scheme "://" host [ ":" port ]`, as a browser sends it in `Origin` (RFC 6454 §6.1).
    private static func isOrigin(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") else { return false }
        let scheme = text[..<colon], rest = text[text.index(colon, offsetBy: 3)...]
        return !scheme.isEmpty && scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) })
            && !rest.isEmpty && !rest.contains("/") && !rest.contains("?") && !rest.contains("#")
    }

    /// Checks a parsed document against the schema: every member must be a known key or section.
    public static func check(document: JSONValue) throws(ConfigError) -> [String: JSONValue] {
        var loader = ConfigLoader()
        try loader.merge(document, at: "")
        return loader.values
    }

    private mutating func apply(file path: String) throws(ConfigError) {
        let bytes = try FileSystem.read(path)
        let document: JSONValue
        do { document = try JSONParser.parse(bytes, options: .init(rejectDuplicateKeys: true)) } catch {
            throw ConfigError(path, "invalid JSON: \(error)")
        }
        guard case .object = document else { throw ConfigError(path, "expected a JSON object at the top level, got \(document.typeName)") }
        try merge(document, at: "")
    }

    private mutating func merge(_ value: JSONValue, at path: String) throws(ConfigError) {
        if let key = ConfigSchema.key(path) {
            values[path] = try key.validate(value, source: path)
            return
        }
        guard path.isEmpty || ConfigSchema.isSection(path) else { throw ConfigError(path, "unknown key") }
        guard case .object(let object) = value else {
            throw ConfigError(path.isEmpty ? "configuration" : path, "expected an object, got \(value.jsonText)")
        }
        for member in object.members {
            try merge(member.value, at: path.isEmpty ? member.key : "\(path).\(member.key)")
        }
    }

    /// Variables named after a key override it; other `API_` variables of a known section are mistakes and refused.
    private mutating func apply(environment: [String: String]) throws(ConfigError) {
        let sections = Set(ConfigSchema.keys.map { $0.environmentName.split(separator: "_")[1] })
        let byName = Dictionary(uniqueKeysWithValues: ConfigSchema.keys.map { ($0.environmentName, $0) })
        for (name, text) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("API_") {
            if let key = byName[name] {
                values[key.path] = try key.validate(text: text, source: name)
            } else if let section = name.split(separator: "_").dropFirst().first, sections.contains(section) {
                throw ConfigError(name, "unknown setting (see docs/configuration.md for the variables api reads)")
            }
        }
    }
}
