/// What it takes to bring the database's recorded resources to the declared ones: the changes, in the order they
/// apply (DESIGN §10, "Migrations").
struct ResourceMigrationPlan: Sendable {
    /// Every change, additive and destructive, resource by resource in declaration order.
    let changes: [ResourceChange]

    /// The changes that can lose or refuse data.
    var destructive: [ResourceChange] { changes.filter(\.isDestructive) }

    /// Whether nothing is to be done.
    var isEmpty: Bool { changes.isEmpty }

    /// The plan from `recorded` (what the database holds) to `declared` (what the configuration says).
    init(recorded: [ResourceDeclaration], declared: [ResourceDeclaration]) {
        var changes: [ResourceChange] = []
        // A resource named by a declared one's `renamed_from` is that resource under its new name (renamed first); the
        // recorded declarations then read as after the renames, references included.
        let renames = Dictionary(declared.compactMap { declaration in
            declaration.renamedFrom.flatMap { previous in
                recorded.contains { $0.name == previous } && !recorded.contains { $0.name == declaration.name } ? (previous, declaration.name) : nil
            }
        }, uniquingKeysWith: { first, _ in first })
        for old in recorded { if let name = renames[old.name] { changes.append(.renameResource(old, to: name)) } }
        let recorded = recorded.map { $0.renamed(renames) }
        for declaration in declared {
            guard let old = recorded.first(where: { $0.name == declaration.name }) else {
                changes.append(.createResource(declaration))
                continue
            }
            changes += Self.changes(from: old, to: declaration)
        }
        for old in recorded where !declared.contains(where: { $0.name == old.name }) {
            changes.append(.dropResource(old.name))
        }
        self.changes = changes
    }

    private static func changes(from old: ResourceDeclaration, to new: ResourceDeclaration) -> [ResourceChange] {
        guard old != new else { return [] }
        guard old.hasOwner == new.hasOwner else { return [.changeOwner(resource: new.name)] }
        var changes: [ResourceChange] = []
        var rebuilt: [String] = [], converted: [String] = []
        // A field named by a declared field's `renamed_from` is that field under its new name (renamed first).
        let renamedTo = Dictionary(new.fields.compactMap { field in
            field.renamedFrom.flatMap { old.field($0) != nil && old.field(field.name) == nil ? ($0, field.name) : nil }
        }, uniquingKeysWith: { first, _ in first })
        for (from, to) in renamedTo.sorted(by: { $0.key < $1.key }) { changes.append(.renameField(new, from: from, to: to)) }
        for field in old.fields {
            guard let current = new.field(renamedTo[field.name] ?? field.name) else {
                changes.append(.dropField(resource: new.name, field: field.name))
                rebuilt.append(field.name)                    // the rebuilt table leaves the column out
                continue
            }
            if field.kind.storageClass != current.kind.storageClass {
                changes.append(.changeType(new, field: current, from: field.kind))
                converted.append(current.name)
            }
            if field.storedShape != current.storedShape { rebuilt.append(current.name) }
        }
        for field in new.fields where old.field(field.name) == nil && !renamedTo.values.contains(field.name) {
            changes.append(field.isRequired ? .addRequiredField(new, field) : .addField(new, field))
        }
        if !rebuilt.isEmpty { changes.append(.rebuild(new, fields: rebuilt, converted: converted)) }
        for (lists, isUnique) in [(\ResourceDeclaration.indexes, false), (\ResourceDeclaration.unique, true)] {
            for fields in old[keyPath: lists] where !new[keyPath: lists].contains(fields) {
                changes.append(.dropIndex(resource: new.name, fields: fields, isUnique: isUnique))
            }
            for fields in new[keyPath: lists] where !old[keyPath: lists].contains(fields) {
                changes.append(.createIndex(new, fields: fields, isUnique: isUnique))
            }
        }
        return changes.isEmpty ? [.record(new)] : changes       // applying any plan records every declaration
    }
}

extension ResourceField.Kind {
    /// What a value is stored as: a change between classes needs each value converted (destructive); a change within
    /// one only re-checks the values (a rebuild).
    var storageClass: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .date: "date"
        case .datetime: "datetime"
        case .array(let items, _, _): "array of \(items.storageClass)"
        case .object: "object"
        case .reference(let target, _): "reference to \(target)"
        }
    }
}

extension ResourceField {
    /// What the table's column holds it to: the kind with its constraints and whether it may be null; not the
    /// default or the description, which no stored row depends on.
    var storedShape: StoredShape { StoredShape(kind: kind, isOptional: isOptional) }

    struct StoredShape: Equatable {
        let kind: Kind
        let isOptional: Bool
    }
}
