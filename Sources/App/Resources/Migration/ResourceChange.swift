/// One difference between the resources the database records and those the configuration declares (DESIGN §10).
/// Additive changes are applied by `api migrate` (and `serve` with `database.auto_migrate`); destructive ones can lose
/// or refuse existing data and are refused with a line naming them.
enum ResourceChange: Equatable, Sendable {
    /// A new resource: its table and indexes.
    case createResource(ResourceDeclaration)
    /// A resource renamed (`renamed_from`): the recorded declaration's table, with its records, indexes and the
    /// references to it, under the new name.
    case renameResource(ResourceDeclaration, to: String)
    /// A field renamed (`renamed_from`): its column keeps its values under the new name.
    case renameField(ResourceDeclaration, from: String, to: String)
    /// A new optional or defaulted field of `resource`.
    case addField(ResourceDeclaration, ResourceField)
    /// Constraints of existing fields changed (relaxed, or tightened within what the rows hold), fields dropped, or
    /// types changed: the table is rebuilt and every row copied, which fails, changing nothing, if a row breaks a new
    /// constraint. The `converted` fields take their values from their `changeType`'s conversion.
    case rebuild(ResourceDeclaration, fields: [String], converted: [String])
    /// A declared index or unique set is new.
    case createIndex(ResourceDeclaration, fields: [String], isUnique: Bool)
    /// An index or unique set is no longer declared.
    case dropIndex(resource: String, fields: [String], isUnique: Bool)
    /// Only what the database records changes (a title, a description, a default, a rule). Applying any plan records
    /// every declaration; this change says that nothing else is to be done.
    case record(ResourceDeclaration)

    /// Refused without `--allow-destructive`: the resource is no longer declared (its table is dropped).
    case dropResource(String)
    /// Refused without `--allow-destructive`: a field is no longer declared (the table is rebuilt without it).
    case dropField(resource: String, field: String)
    /// A field's type changed (`field` as declared now; `from`, the type its values have): with `--allow-destructive`
    /// and a `ResourceTypeConversion` between the two, each value is converted; refused otherwise.
    case changeType(ResourceDeclaration, field: ResourceField, from: ResourceField.Kind)
    /// Refused without a value for the records that exist (`--set resource.field=VALUE`): a new field without a default
    /// that is not optional.
    case addRequiredField(ResourceDeclaration, ResourceField)
    /// Refused, even with `--allow-destructive` (not supported yet): `owner` changed.
    case changeOwner(resource: String)

    /// Whether the change can lose or refuse existing data.
    var isDestructive: Bool {
        switch self {
        case .createResource, .renameResource, .addField, .renameField, .rebuild, .createIndex, .dropIndex, .record: false
        case .dropResource, .dropField, .changeType, .addRequiredField, .changeOwner: true
        }
    }

    /// Whether `api migrate --allow-destructive` applies it (the other destructive changes stay refused).
    var isAllowedWhenDestructive: Bool {
        switch self {
        case .dropResource, .dropField, .addRequiredField: true
        case .changeType: conversion != nil
        case .changeOwner: false
        default: !isDestructive
        }
    }

    /// The name of the resource changed.
    var resource: String {
        switch self {
        case .createResource(let declaration), .addField(let declaration, _), .renameField(let declaration, _, _), .rebuild(let declaration, _, _),
             .createIndex(let declaration, _, _), .changeType(let declaration, _, _),
             .record(let declaration), .addRequiredField(let declaration, _): declaration.name
        case .renameResource(_, let name), .dropResource(let name), .dropIndex(let name, _, _), .dropField(let name, _), .changeOwner(let name): name
        }
    }

    /// How a changed type's values convert; nil for other changes and for types with no conversion.
    var conversion: ResourceTypeConversion? {
        guard case .changeType(_, let field, let from) = self else { return nil }
        return ResourceTypeConversion(from: from, to: field)
    }

    /// One line for `api migrate` and the logs.
    var summary: String {
        switch self {
        case .createResource(let declaration): "create resource \(declaration.name)"
        case .renameResource(let declaration, let name): "rename resource \(declaration.name) to \(name)"
        case .addField(let declaration, let field): "add field \(declaration.name).\(field.name)"
        case .renameField(let declaration, let from, let to): "rename field \(declaration.name).\(from) to \(to)"
        case .rebuild(let declaration, let fields, _): "rebuild table \(declaration.name) for \(fields.map { "\(declaration.name).\($0)" }.joined(separator: ", "))"
        case .createIndex(let declaration, let fields, let isUnique): "add \(isUnique ? "unique" : "index") \(declaration.name) (\(fields.joined(separator: ", ")))"
        case .dropIndex(let resource, let fields, let isUnique): "drop \(isUnique ? "unique" : "index") \(resource) (\(fields.joined(separator: ", ")))"
        case .record(let declaration): "record the declaration of \(declaration.name)"
        case .dropResource(let name): "drop resource \(name): it is no longer declared, and its table holds data (api migrate --allow-destructive)"
        case .dropField(let resource, let field):
            "drop field \(resource).\(field): it is no longer declared, and its column holds data (api migrate --allow-destructive)"
        case .changeType(let declaration, let field, let from):
            "change the type of \(declaration.name).\(field.name) from \(from.storageClass) to \(field.kind.storageClass): "
                + (conversion == nil ? "no conversion exists (declare a new field, copy the values, drop the old one)"
                                     : "each value is converted, or the migration refused (api migrate --allow-destructive)")
        case .addRequiredField(let declaration, let field):
            "add required field \(declaration.name).\(field.name) without a default: existing records have no value for it (give it a default, "
                + "optional: true, or run api migrate --allow-destructive --set \(declaration.name).\(field.name)=VALUE)"
        case .changeOwner(let resource): "change owner of \(resource): existing records would lose or lack their owner_id"
        }
    }
}
