import JSON
import Storage

/// Brings the tables of the declared resources to their declarations (DESIGN §10): the declarations the database
/// recorded at the last migration are compared with the configuration's (`ResourceMigrationPlan`), and the additive
/// changes run in one transaction that also records the new declarations. Destructive changes are refused.
enum SQLiteResourceMigrator {
    /// The declarations recorded in `database`, in the order they were recorded.
    static func recorded(in database: Database) throws -> [ResourceDeclaration] {
        guard try database.queryOne("SELECT 1 FROM sqlite_master WHERE name = 'resource_schemas'", read: { _ in true }) != nil else { return [] }
        let rows = try database.query("SELECT name, declaration FROM resource_schemas ORDER BY rowid") { row in (row.string(0), row.string(1)) }
        var members: [JSONMember] = []
        for (name, text) in rows { members.append(JSONMember(key: name, value: try JSONParser.parse(Array(text.utf8)))) }
        do {
            return try ResourceDeclarationReader.read(.object(JSONObject(members)))
        } catch {
            throw MigrationRefusal("the resources recorded in the database do not read (\(error)); was it migrated by a newer binary?")
        }
    }

    /// The statements `change` runs (`backfills`: the values of new required fields, by `resource.field`).
    static func statements(for change: ResourceChange, backfills: [String: JSONValue] = [:]) -> [String] {
        switch change {
        case .createResource(let declaration): [SQLiteResourceSchema.createTable(declaration)] + SQLiteResourceSchema.createIndexes(declaration)
        case .renameResource(let declaration, let name):
            SQLiteResourceSchema.renameTable(declaration, to: name)
                + ["DELETE FROM resource_schemas WHERE name = \(ResourceSQL.literal(.string(declaration.name)))"]
        case .addField(let declaration, let field): [SQLiteResourceSchema.addColumn(declaration.name, field)]
        case .renameField(let declaration, let from, let to):
            ["ALTER TABLE \(SQLiteResourceSchema.quoted(declaration.name)) RENAME COLUMN \(SQLiteResourceSchema.quoted(from)) TO \(SQLiteResourceSchema.quoted(to))"]
        case .rebuild(let declaration, _, let converted): SQLiteResourceSchema.rebuild(declaration, converted: converted)
        case .changeType(let declaration, let field, _):
            ["CREATE TEMP TABLE \(SQLiteResourceSchema.conversionTable(declaration.name, field.name)) (\"id\" INTEGER PRIMARY KEY, \"value\")"]
        case .createIndex(let declaration, let fields, let isUnique): [SQLiteResourceSchema.createIndex(declaration.name, fields, isUnique: isUnique)]
        case .dropIndex(let resource, let fields, let isUnique): [SQLiteResourceSchema.dropIndex(resource, fields, isUnique: isUnique)]
        case .addRequiredField(let declaration, let field):
            [SQLiteResourceSchema.addColumn(declaration.name, field, backfill: backfills["\(declaration.name).\(field.name)"] ?? .null)]
        case .dropResource(let name): ["DROP TABLE \(SQLiteResourceSchema.quoted(name))"]
        case .record, .dropField, .changeOwner: []
        }
    }

    /// Applies `plan`'s changes and records `declared`, all in one transaction; a failing statement undoes everything
    /// and is reported with the change it belongs to. A rebuild runs with foreign keys off (SQLite's own procedure),
    /// and the keys are checked before the commit. A changed type's values are converted into their conversion table
    /// before the rebuild reads them.
    static func apply(_ plan: ResourceMigrationPlan, declared: [ResourceDeclaration], to database: Database, at now: String,
                      backfills: [String: JSONValue] = [:]) throws {
        precondition(plan.destructive.allSatisfy(\.isAllowedWhenDestructive), "refused changes are refused before apply")
        let rebuilds = plan.changes.contains { if case .rebuild = $0 { true } else if case .dropResource = $0 { true } else { false } }
        if rebuilds { try database.executeScript("PRAGMA foreign_keys = OFF") }
        defer { if rebuilds { try? database.executeScript("PRAGMA foreign_keys = ON") } }
        try database.write { database in
            for change in plan.changes {
                for statement in statements(for: change, backfills: backfills) {
                    do { try database.executeScript(statement) } catch let error as SQLiteError {
                        throw MigrationRefusal("\(change.summary): \(error.message) (existing records break the new declaration?)")
                    }
                }
                if case .changeType(let declaration, let field, let from) = change, let conversion = change.conversion {
                    try convert(declaration.name, field.name, from: from, with: conversion, in: database)
                }
            }
            if rebuilds, let dangling = try database.queryOne("PRAGMA foreign_key_check", read: { $0.string(0) }) {
                throw MigrationRefusal("a rebuild would leave references in \(dangling) pointing at no record")
            }
            for case .dropResource(let name) in plan.changes {
                try database.execute("DELETE FROM resource_schemas WHERE name = ?", name)
            }
            for declaration in declared {
                try database.execute("""
                    INSERT INTO resource_schemas (name, declaration, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET declaration = excluded.declaration, updated_at = excluded.updated_at
                    """, declaration.name, String(decoding: declaration.source.serialized(), as: UTF8.self), now)
            }
        }
    }

    /// Writes each value of `resource.field` converted (by `conversion`) into the field's conversion table, a thousand
    /// records at a time; the first value that does not convert refuses the migration, naming its record.
    private static func convert(_ resource: String, _ field: String, from kind: ResourceField.Kind, with conversion: ResourceTypeConversion,
                                in database: Database) throws {
        let select = "SELECT \"id\", \(SQLiteResourceSchema.quoted(field)) FROM \(SQLiteResourceSchema.quoted(resource)) WHERE \"id\" > ? ORDER BY \"id\" LIMIT 1000"
        let insert = "INSERT INTO \(SQLiteResourceSchema.conversionTable(resource, field)) (\"id\", \"value\") VALUES (?, ?)"
        var after: Int64 = 0
        while true {
            let rows = try database.query(select, after) { row in (row.int64(0), SQLiteResourceTable.value(row, 1, kind.storage)) }
            guard let last = rows.last else { return }
            for (id, value) in rows {
                do {
                    try database.execute(insert, id, SQLiteResourceTable.argument(try conversion.convert(value), storedAs: conversion.to.kind.storage))
                } catch let failure as ResourceTypeConversion.Failure {
                    throw MigrationRefusal("change the type of \(resource).\(field): record \(id) holds \(value.jsonText), which does not convert (\(failure.message))")
                }
            }
            after = last.0
        }
    }
}

/// Why the resources could not be migrated: one line for the operator.
struct MigrationRefusal: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
