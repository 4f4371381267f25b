import JSON

/// One resource of the `resources` section (DESIGN §10): everything the table, the endpoints, the documents and the
/// rules are derived from.
struct ResourceDeclaration: Equatable, Sendable {
    let name: String
    let title: String
    let description: String?
    /// The declared fields, in declaration order.
    let fields: [ResourceField]
    /// Whether records have an `owner_id`, set to the caller on create and never writable.
    let hasOwner: Bool
    /// Field lists whose values together are unique.
    let unique: [[String]]
    let indexes: [[String]]
    /// The rule of each operation; those not declared are `admin`.
    let rules: [ResourceRule.Operation: ResourceRule]
    /// The declaration as the configuration wrote it: recorded in the database, so the next start can tell what
    /// changed (the migration plan).
    let source: JSONValue
    /// The name the resource had: the next migration renames its table instead of dropping one and creating another.
    var renamedFrom: String? = nil

    /// Fields every record has besides the declared ones.
    static let systemFields: [String: FilterFieldType] = ["id": .integer, "created_at": .datetime, "updated_at": .datetime, "version": .integer]

    /// Every field a filter, a rule, a sort or an index may name: the declared ones, the system ones and `owner_id`.
    var filterFields: [String: FilterFieldType] {
        var fields = Self.systemFields
        if hasOwner { fields["owner_id"] = .integer }
        for field in self.fields { fields[field.name] = field.filterType }
        return fields
    }

    /// What the documents name its bodies after (`ProjectCreate`...): the title's letters and digits, each word
    /// capitalized (`Project` from `Project`, `project` or `project`).
    var componentName: String {
        let words = title.split { !$0.isLetter && !$0.isNumber }
        let name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return name.isEmpty ? "Resource" : name
    }

    /// The declared field named `name`.
    func field(_ name: String) -> ResourceField? {
        fields.first { $0.name == name }
    }

    /// This declaration as it reads after `renames` (previous name to new name) of resources: its own name and the
    /// targets of its references follow them, so a recorded declaration compares with the declared one.
    func renamed(_ renames: [String: String]) -> ResourceDeclaration {
        let fields = fields.map { field in
            guard case .reference(let target, let onDelete) = field.kind, let renamed = renames[target] else { return field }
            return ResourceField(name: field.name, kind: .reference(to: renamed, onDelete: onDelete), isOptional: field.isOptional,
                                 defaultValue: field.defaultValue, description: field.description, renamedFrom: field.renamedFrom)
        }
        return ResourceDeclaration(name: renames[name] ?? name, title: title, description: description, fields: fields, hasOwner: hasOwner,
                                   unique: unique, indexes: indexes, rules: rules, source: source, renamedFrom: renamedFrom)
    }

    /// The rule of `operation`.
    func rule(_ operation: ResourceRule.Operation) -> ResourceRule {
        rules[operation] ?? .admin
    }
}
