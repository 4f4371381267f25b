import JSON
import Postgres

/// Brings the tables of the declared resources to their declarations on PostgreSQL (DESIGN §10), as SQLite's migrator
/// does: the recorded declarations are compared with the configuration's, and the changes run in one transaction that
/// also records the new declarations, under the advisory lock that the binary's migrations take, so N instances
/// starting together migrate once. What SQLite makes by rebuilding a table (a constraint changed, a field dropped, a
/// type changed) is made here by altering its columns in place (`PostgresResourceSchema.alterColumns`); a changed
/// type's values are converted by the same `ResourceTypeConversion` as on SQLite.
enum PostgresResourceMigrator {
    /// The declarations recorded in the database, in the order they were first recorded.
    static func recorded(_ connection: PostgresConnection) throws -> [ResourceDeclaration] {
        let rows = try connection.runBlocking("SELECT name, declaration FROM resource_schemas ORDER BY position").records
        var members: [JSONMember] = []
        for row in rows { members.append(JSONMember(key: row.string(0), value: try JSONParser.parse(Array(row.string(1).utf8)))) }
        do {
            return try ResourceDeclarationReader.read(.object(JSONObject(members)))
        } catch {
            throw MigrationRefusal("the resources recorded in the database do not read (\(error)); was it migrated by a newer binary?")
        }
    }

    /// The statements `change` runs (`backfills`: the values of new required fields, by `resource.field`).
    static func statements(for change: ResourceChange, backfills: [String: JSONValue] = [:]) -> [String] {
        switch change {
        case .createResource(let declaration): PostgresResourceSchema.createTable(declaration) + PostgresResourceSchema.createIndexes(declaration)
        case .renameResource(let declaration, let name):
            PostgresResourceSchema.renameTable(declaration, to: name)
                + ["DELETE FROM resource_schemas WHERE name = \(PostgresResourceSchema.literal(.string(declaration.name)))"]
        case .addField(let declaration, let field): [PostgresResourceSchema.addColumn(declaration.name, field)]
        case .renameField(let declaration, let from, let to):
            ["ALTER TABLE \(PostgresResourceSchema.quoted(declaration.name)) RENAME COLUMN \(PostgresResourceSchema.quoted(from)) TO \(PostgresResourceSchema.quoted(to))"]
        case .rebuild(let declaration, let fields, let converted): PostgresResourceSchema.alterColumns(declaration, fields, converted: converted)
        case .changeType(let declaration, let field, _): PostgresResourceSchema.addConversionColumn(declaration.name, field)
        case .createIndex(let declaration, let fields, let isUnique): [PostgresResourceSchema.createIndex(declaration.name, fields, isUnique: isUnique)]
        case .dropIndex(let resource, let fields, let isUnique): [PostgresResourceSchema.dropIndex(resource, fields, isUnique: isUnique)]
        case .addRequiredField(let declaration, let field):
            [PostgresResourceSchema.addColumn(declaration.name, field, backfill: backfills["\(declaration.name).\(field.name)"] ?? .null)]
        case .dropResource(let name): ["DROP TABLE \(PostgresResourceSchema.quoted(name))"]
        case .record, .dropField, .changeOwner: []
        }
    }

    /// The tables `plan`'s destructive changes touch, by their names before it runs (a resource renamed in the same
    /// plan still has its old name).
    static func tablesChangedDestructively(by plan: ResourceMigrationPlan) -> [String] {
        var previous: [String: String] = [:]
        for case .renameResource(let declaration, let name) in plan.changes { previous[name] = declaration.name }
        var tables: [String] = []
        for change in plan.destructive {
            let table = previous[change.resource] ?? change.resource
            if !tables.contains(table) { tables.append(table) }
        }
        return tables
    }

    /// Applies `plan`'s changes and records `declared`, all in one transaction on `connection`, after copying the tables
    /// its destructive changes touch into the schema `backup` when one is given; a failing statement undoes everything
    /// and is reported with the change it belongs to.
    static func apply(_ plan: ResourceMigrationPlan, declared: [ResourceDeclaration], on connection: PostgresConnection, at now: String,
                      backfills: [String: JSONValue] = [:], backup: String? = nil) throws {
        try run(["BEGIN"], for: "", on: connection)
        do {
            if let backup { try run(PostgresResourceSchema.backUp(tablesChangedDestructively(by: plan), into: backup), for: "backup", on: connection) }
            for change in plan.changes {
                try run(statements(for: change, backfills: backfills), for: change.summary, on: connection)
                if case .changeType(let declaration, let field, let from) = change, let conversion = change.conversion {
                    try convert(declaration.name, field.name, from: from, with: conversion, on: connection)
                }
            }
            var recording: [(sql: String, parameters: [String?])] = []
            for case .dropResource(let name) in plan.changes { recording.append(("DELETE FROM resource_schemas WHERE name = $1", [name])) }
            for declaration in declared {
                recording.append(("""
                    INSERT INTO resource_schemas (name, declaration, updated_at) VALUES ($1, $2, $3)
                    ON CONFLICT (name) DO UPDATE SET declaration = excluded.declaration, updated_at = excluded.updated_at
                    """, [declaration.name, String(decoding: declaration.source.serialized(), as: UTF8.self), now]))
            }
            try run(recording + [("COMMIT", [])], for: "", on: connection)
        } catch {
            _ = try? connection.runBlocking("ROLLBACK")
            throw error
        }
    }

    /// The longest a migration's statement may take: adding a constraint reads the whole table.
    private static let statementTimeoutMilliseconds = 600_000

    private static func run(_ statements: [String], for change: String, on connection: PostgresConnection) throws {
        try run(statements.map { ($0, []) }, for: change, on: connection)
    }

    /// Runs `statements` in one round trip; the first that fails is reported as `change`'s.
    private static func run(_ statements: [(sql: String, parameters: [String?])], for change: String, on connection: PostgresConnection) throws {
        for outcome in try connection.runBlocking(statements, timeoutMilliseconds: statementTimeoutMilliseconds) {
            if case .failure(let error) = outcome {
                throw MigrationRefusal("\(change.isEmpty ? "recording the resources" : change): \(error.message) (existing records break the new declaration?)")
            }
        }
    }

    /// Writes each value of `resource.field` converted (by `conversion`) into the field's conversion column, a thousand
    /// records at a time; the first value that does not convert refuses the migration, naming its record.
    private static func convert(_ resource: String, _ field: String, from kind: ResourceField.Kind, with conversion: ResourceTypeConversion,
                                on connection: PostgresConnection) throws {
        let table = PostgresResourceSchema.quoted(resource)
        let select = "SELECT \"id\", \(PostgresResourceSchema.quoted(field)) FROM \(table) WHERE \"id\" > $1 ORDER BY \"id\" LIMIT 1000"
        let update = "UPDATE \(table) SET \(PostgresResourceSchema.conversionColumn(field)) = $1 WHERE \"id\" = $2"
        let change = "change the type of \(resource).\(field)"
        var after: Int64 = 0
        while true {
            let rows = try connection.runBlocking(select, [String(after)], timeoutMilliseconds: statementTimeoutMilliseconds).records.map { row in
                (row.int64(0), PostgresResourceTable.value(row.optionalString(1), kind.storage))
            }
            guard let last = rows.last else { return }
            let updates = try rows.map { id, value in
                do {
                    return (update, [PostgresResourceTable.parameter(try conversion.convert(value), storedAs: conversion.to.kind.storage), String(id)])
                } catch let failure as ResourceTypeConversion.Failure {
                    throw MigrationRefusal("\(change): record \(id) holds \(value.jsonText), which does not convert (\(failure.message))")
                }
            }
            try run(updates, for: change, on: connection)
            after = last.0
        }
    }
}
