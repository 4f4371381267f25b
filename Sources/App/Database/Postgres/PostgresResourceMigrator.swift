import JSON
import Postgres

/// Brings the tables of the declared resources to their declarations on PostgreSQL (DESIGN §10), as SQLite's migrator
/// does: the recorded declarations are compared with the configuration's, and the changes run in one transaction that
/// also records the new declarations, under the advisory lock that the binary's migrations take, so N instances
/// starting together migrate once. A change that SQLite makes by rebuilding a table (a new constraint, a changed
/// type) is refused on this engine for now, with what to do.
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
    /// - Throws: `MigrationRefusal` for a change this engine does not make yet.
    static func statements(for change: ResourceChange, backfills: [String: JSONValue] = [:]) throws -> [String] {
        switch change {
        case .createResource(let declaration): PostgresResourceSchema.createTable(declaration) + PostgresResourceSchema.createIndexes(declaration)
        case .renameResource(let declaration, let name):
            PostgresResourceSchema.renameTable(declaration, to: name)
                + ["DELETE FROM resource_schemas WHERE name = \(PostgresResourceSchema.literal(.string(declaration.name)))"]
        case .addField(let declaration, let field): [PostgresResourceSchema.addColumn(declaration.name, field)]
        case .renameField(let declaration, let from, let to):
            ["ALTER TABLE \(PostgresResourceSchema.quoted(declaration.name)) RENAME COLUMN \(PostgresResourceSchema.quoted(from)) TO \(PostgresResourceSchema.quoted(to))"]
        case .rebuild, .changeType:
            throw MigrationRefusal("\(change.summary): not made on PostgreSQL yet (issue 21); change the table with ALTER TABLE, then run api migrate")
        case .createIndex(let declaration, let fields, let isUnique): [PostgresResourceSchema.createIndex(declaration.name, fields, isUnique: isUnique)]
        case .dropIndex(let resource, let fields, let isUnique): [PostgresResourceSchema.dropIndex(resource, fields, isUnique: isUnique)]
        case .addRequiredField(let declaration, let field):
            [PostgresResourceSchema.addColumn(declaration.name, field, backfill: backfills["\(declaration.name).\(field.name)"] ?? .null)]
        case .dropResource(let name): ["DROP TABLE \(PostgresResourceSchema.quoted(name))"]
        case .record, .dropField, .changeOwner: []
        }
    }

    /// Applies `plan`'s changes and records `declared`, all in one transaction on `connection`; a failing statement
    /// undoes everything and is reported with the change it belongs to.
    static func apply(_ plan: ResourceMigrationPlan, declared: [ResourceDeclaration], on connection: PostgresConnection, at now: String,
                      backfills: [String: JSONValue] = [:]) throws {
        var statements: [(sql: String, parameters: [String?], change: String)] = [("BEGIN", [], "")]
        for change in plan.changes {
            statements += try Self.statements(for: change, backfills: backfills).map { ($0, [], change.summary) }
        }
        for case .dropResource(let name) in plan.changes {
            statements.append(("DELETE FROM resource_schemas WHERE name = $1", [name], ""))
        }
        for declaration in declared {
            statements.append(("""
                INSERT INTO resource_schemas (name, declaration, updated_at) VALUES ($1, $2, $3)
                ON CONFLICT (name) DO UPDATE SET declaration = excluded.declaration, updated_at = excluded.updated_at
                """, [declaration.name, String(decoding: declaration.source.serialized(), as: UTF8.self), now], ""))
        }
        statements.append(("COMMIT", [], ""))
        let outcomes = try connection.runBlocking(statements.map { ($0.sql, $0.parameters) })
        for (statement, outcome) in zip(statements, outcomes) {
            if case .failure(let error) = outcome {
                _ = try? connection.runBlocking("ROLLBACK")
                throw MigrationRefusal("\(statement.change.isEmpty ? "recording the resources" : statement.change): \(error.message) (existing records break the new declaration?)")
            }
        }
    }
}
