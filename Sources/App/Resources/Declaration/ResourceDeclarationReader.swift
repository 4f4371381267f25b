import JSON

/// Reads and checks the `resources` section (DESIGN §10): every mistake stops start-up with one line naming the key
/// path (`resources.projects.fields.name.max_length: ...`), and for a rule the character position too.
struct ResourceDeclarationReader {
    /// What a name must look like (DESIGN §5): a lower-case letter, then up to 62 lower-case letters, digits or `_`.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first), name.utf8.count <= 63 else { return false }
        return name.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") }
    }

    /// The first path segments of the built-in routes, which no resource may take.
    static let builtInPaths: Set<String> = ["users", "token", "action", "audit", "healthz", "readyz", "metrics", "docs", "redoc", "openapi",
                                            "realtime", "ws"]
    /// The tables of `api` itself, which no resource's table may take.
    static let internalTables: Set<String> = ["tokens", "revocations", "jobs", "audit_log", "schema_migrations", "resource_schemas",
                                                     "idempotency_keys", "changes", "rate_limits",
                                                     "channel_sequences", "channel_messages"]
    /// SQL keywords a table or column may not be named after (the words SQLite and PostgreSQL both reserve).
    static let reservedWords: Set<String> = ["all", "and", "as", "between", "by", "case", "check", "column", "constraint", "create", "default",
                                             "delete", "distinct", "drop", "else", "end", "except", "exists", "foreign", "from", "group",
                                             "having", "in", "index", "insert", "intersect", "into", "is", "join", "limit", "not", "null",
                                             "offset", "on", "or", "order", "primary", "references", "select", "set", "table", "then", "to",
                                             "union", "unique", "update", "using", "values", "when", "where", "with"]

    /// Titles whose bodies (`TitleCreate`, `TitleUpdate`, `TitlePublic`, `TitlePublicPage`, `TitleListItem`) would take the name of a
    /// built-in body in `/openapi.json` (`ResourceDeclarationTests` checks this against the document).
    static let reservedComponentNames: Set<String> = ["User", "AuditEntry"]

    private static let resourceKeys: Set<String> = ["title", "description", "fields", "owner", "unique", "indexes", "rules", "renamed_from"]

    /// The declarations of `section` (the value of `resources`), in declaration order.
    static func read(_ section: JSONValue) throws(ConfigError) -> [ResourceDeclaration] {
        guard let object = section.objectValue else { throw ConfigError("resources", "expected an object of resources, got \(section.jsonText)") }
        var declarations: [ResourceDeclaration] = []
        for member in object.members {
            declarations.append(try resource(member.key, member.value))
        }
        var componentNames: [String: String] = [:]
        for declaration in declarations {
            let name = declaration.componentName
            if reservedComponentNames.contains(name) || componentNames[name] != nil {
                throw ConfigError("resources.\(declaration.name).title", "the documents would name its bodies \(name)Create..., "
                                  + "as \(componentNames[name].map { "resources.\($0)" } ?? "a built-in body") does; choose another title")
            }
            componentNames[name] = declaration.name
        }
        let names = Set(declarations.map(\.name)).union(["users"])
        for declaration in declarations {
            if let previous = declaration.renamedFrom, names.contains(previous) {
                throw ConfigError("resources.\(declaration.name).renamed_from", "'\(previous)' is declared too; a renamed resource's old name is not")
            }
        }
        for declaration in declarations {
            for field in declaration.fields {
                if case .reference(let target, _) = field.kind, !names.contains(target) {
                    throw ConfigError("resources.\(declaration.name).fields.\(field.name).to", "no resource named '\(target)' (declared: \(names.sorted().joined(separator: ", ")))")
                }
            }
        }
        return declarations
    }

    private static func resource(_ name: String, _ value: JSONValue) throws(ConfigError) -> ResourceDeclaration {
        let path = "resources.\(name)"
        try checkName(name, at: path, what: "resource")
        guard !builtInPaths.contains(name) else { throw ConfigError(path, "'\(name)' is a built-in path; choose another name") }
        guard !internalTables.contains(name) else { throw ConfigError(path, "'\(name)' is a table of api itself; choose another name") }
        guard let object = value.objectValue else { throw ConfigError(path, "expected an object, got \(value.jsonText)") }
        if let unknown = object.members.first(where: { !resourceKeys.contains($0.key) }) {
            throw ConfigError("\(path).\(unknown.key)", "unknown key (a resource has \(resourceKeys.sorted().joined(separator: ", ")))")
        }
        guard let fieldsObject = object["fields"]?.objectValue, !fieldsObject.members.isEmpty else {
            throw ConfigError("\(path).fields", "expected an object with at least one field")
        }
        var fields: [ResourceField] = []
        for member in fieldsObject.members { fields.append(try ResourceFieldReader.field(member.key, member.value, at: "\(path).fields.\(member.key)")) }
        let hasOwner = try ResourceFieldReader.flag(object["owner"], at: "\(path).owner") ?? false
        let partial = ResourceDeclaration(name: name, title: try text(object["title"], at: "\(path).title") ?? name,
                                          description: try text(object["description"], at: "\(path).description"),
                                          fields: fields, hasOwner: hasOwner, unique: [], indexes: [], rules: [:], source: value)
        let known = partial.filterFields
        return ResourceDeclaration(name: name, title: partial.title, description: partial.description, fields: fields, hasOwner: hasOwner,
                                   unique: try fieldLists(object["unique"], at: "\(path).unique", known: known),
                                   indexes: try fieldLists(object["indexes"], at: "\(path).indexes", known: known),
                                   rules: try rules(object["rules"], at: "\(path).rules", fields: known), source: value,
                                   renamedFrom: try previousName(object["renamed_from"], of: name, at: "\(path).renamed_from", what: "resource"))
    }

    static func checkName(_ name: String, at path: String, what: String) throws(ConfigError) {
        guard isIdentifier(name) else { throw ConfigError(path, "a \(what) name is a lower-case letter, then lower-case letters, digits or '_' (63 at most)") }
        guard !reservedWords.contains(name) else { throw ConfigError(path, "'\(name)' is an SQL keyword; choose another \(what) name") }
    }

    /// The `renamed_from` of a resource or a field named `name`: an identifier other than `name`.
    static func previousName(_ value: JSONValue?, of name: String, at path: String, what: String) throws(ConfigError) -> String? {
        guard let value else { return nil }
        guard let previous = value.stringValue, isIdentifier(previous), previous != name else {
            throw ConfigError(path, "expected the \(what)'s previous name, got \(value.jsonText)")
        }
        return previous
    }

    private static func text(_ value: JSONValue?, at path: String) throws(ConfigError) -> String? {
        guard let value else { return nil }
        guard let text = value.stringValue else { throw ConfigError(path, "expected a string, got \(value.jsonText)") }
        return text
    }

    /// `[["a", "b"], ["c"]]`: lists of fields the resource has, none empty, none naming a field twice.
    private static func fieldLists(_ value: JSONValue?, at path: String, known: [String: FilterFieldType]) throws(ConfigError) -> [[String]] {
        guard let value else { return [] }
        guard let lists = value.arrayValue else { throw ConfigError(path, "expected an array of arrays of field names, got \(value.jsonText)") }
        var result: [[String]] = []
        for (index, list) in lists.enumerated() {
            let names = list.arrayValue?.compactMap(\.stringValue) ?? []
            guard !names.isEmpty, names.count == list.arrayValue?.count, Set(names).count == names.count else {
                throw ConfigError("\(path)[\(index)]", "expected a non-empty array of distinct field names, got \(list.jsonText)")
            }
            if let unknown = names.first(where: { known[$0] == nil }) {
                throw ConfigError("\(path)[\(index)]", "no field named '\(unknown)' (fields: \(known.keys.sorted().joined(separator: ", ")))")
            }
            result.append(names)
        }
        return result
    }

    private static func rules(_ value: JSONValue?, at path: String, fields: [String: FilterFieldType])
        throws(ConfigError) -> [ResourceRule.Operation: ResourceRule] {
        guard let value else { return [:] }
        guard let object = value.objectValue else { throw ConfigError(path, "expected an object of rules, got \(value.jsonText)") }
        var rules: [ResourceRule.Operation: ResourceRule] = [:]
        for member in object.members {
            guard let operation = ResourceRule.Operation(rawValue: member.key) else {
                throw ConfigError("\(path).\(member.key)", "unknown operation (rules are for \(ResourceRule.Operation.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let text = member.value.stringValue else { throw ConfigError("\(path).\(member.key)", "expected a rule (a string), got \(member.value.jsonText)") }
            rules[operation] = try rule(text, at: "\(path).\(member.key)", fields: fields)
        }
        return rules
    }

    /// `public`, `authenticated`, `admin`, `nobody`, `scope:NAME`, or a filter over the record and `@caller`.
    static func rule(_ text: String, at path: String, fields: [String: FilterFieldType]) throws(ConfigError) -> ResourceRule {
        switch text {
        case "public": return .everyone
        case "authenticated": return .authenticated
        case "admin": return .admin
        case "nobody": return .nobody
        default:
            if text.hasPrefix("scope:") {
                let scope = String(text.dropFirst(6))
                guard !scope.isEmpty, !scope.contains(" ") else { throw ConfigError(path, "expected scope:NAME") }
                return .scope(scope)
            }
            do { return .filter(try FilterParser.parse(text, fields: fields)) } catch {
                throw ConfigError(path, error.description)
            }
        }
    }
}
