import JSON

/// The DDL of declared resources (DESIGN §10): one table per resource with real columns and constraints (`NOT NULL`,
/// `CHECK` for lengths, bounds, choices and JSON shapes, `REFERENCES ... ON DELETE`), its indexes and unique sets as
/// indexes, and the statements each `ResourceChange` runs. Constants in DDL cannot be bound: they come from the
/// checked configuration, never a request, and are quoted as SQL literals.
enum SQLiteResourceSchema {
    /// `CREATE TABLE` of `declaration` named `name` (the resource's own, or a rebuild's temporary name).
    static func createTable(_ declaration: ResourceDeclaration, named name: String? = nil) -> String {
        var columns = ["\"id\" INTEGER PRIMARY KEY AUTOINCREMENT"]     // AUTOINCREMENT: a deleted record's id is never reused
        columns += declaration.fields.map(columnDefinition)
        // A user's records go with the user.
        if declaration.hasOwner { columns.append("\"owner_id\" INTEGER NOT NULL REFERENCES \"users\" (\"id\") ON DELETE CASCADE") }
        columns += ["\"created_at\" TEXT NOT NULL", "\"updated_at\" TEXT NOT NULL", "\"version\" INTEGER NOT NULL DEFAULT 1"]
        return "CREATE TABLE \(quoted(name ?? declaration.name)) (\n    " + columns.joined(separator: ",\n    ") + "\n)"
    }

    /// Every index and unique set of `declaration`.
    static func createIndexes(_ declaration: ResourceDeclaration) -> [String] {
        declaration.unique.map { createIndex(declaration.name, $0, isUnique: true) }
            + declaration.indexes.map { createIndex(declaration.name, $0, isUnique: false) }
    }

    /// Drops every index and unique set of `declaration`.
    static func dropIndexes(_ declaration: ResourceDeclaration) -> [String] {
        declaration.unique.map { dropIndex(declaration.name, $0, isUnique: true) } + declaration.indexes.map { dropIndex(declaration.name, $0, isUnique: false) }
    }

    /// `IF NOT EXISTS`: a rebuild makes every declared index, a new one included.
    static func createIndex(_ resource: String, _ fields: [String], isUnique: Bool) -> String {
        "CREATE \(isUnique ? "UNIQUE " : "")INDEX IF NOT EXISTS \(quoted(ResourceSQL.indexName(resource, fields, isUnique: isUnique))) ON \(quoted(resource)) ("
            + fields.map(quoted).joined(separator: ", ") + ")"
    }

    /// `IF EXISTS`: a rebuild drops the table's indexes with it (a dropped field's among them).
    static func dropIndex(_ resource: String, _ fields: [String], isUnique: Bool) -> String {
        "DROP INDEX IF EXISTS \(quoted(ResourceSQL.indexName(resource, fields, isUnique: isUnique)))"
    }

    /// `ALTER TABLE ... ADD COLUMN` of a new field; existing rows take its default (or null), or `backfill`, the value
    /// `--set` gives a new required field (then the column's default).
    static func addColumn(_ resource: String, _ field: ResourceField, backfill: JSONValue? = nil) -> String {
        "ALTER TABLE \(quoted(resource)) ADD COLUMN \(columnDefinition(field.defaulting(to: backfill)))"
    }

    /// The statements that rebuild `declaration`'s table with its new constraints (https://sqlite.org/lang_altertable.html,
    /// "other kinds of table schema changes"): a new table, every row copied (a row that breaks a new constraint fails
    /// the whole migration), the old one dropped, the new one renamed, the indexes made again, and the id counter
    /// carried over so no deleted record's id comes back. Run with foreign keys off, then checked. The `converted`
    /// fields take their values from their conversion tables, which are dropped after the copy.
    static func rebuild(_ declaration: ResourceDeclaration, converted: [String] = []) -> [String] {
        let name = declaration.name, temporary = declaration.name + "__rebuild"
        let columns = ["id"] + declaration.fields.map(\.name) + (declaration.hasOwner ? ["owner_id"] : []) + ["created_at", "updated_at", "version"]
        let values = columns.map { column in
            converted.contains(column)
                ? "(SELECT \"value\" FROM \(conversionTable(name, column)) AS converted WHERE converted.\"id\" = \(quoted(name)).\"id\")"
                : quoted(column)
        }
        return [createTable(declaration, named: temporary),
                "INSERT INTO \(quoted(temporary)) (\(columns.map(quoted).joined(separator: ", "))) SELECT \(values.joined(separator: ", ")) FROM \(quoted(name))"]
            + converted.map { "DROP TABLE \(conversionTable(name, $0))" } + [
                "DELETE FROM sqlite_sequence WHERE name = \(ResourceSQL.literal(.string(temporary)))",
                "UPDATE sqlite_sequence SET name = \(ResourceSQL.literal(.string(temporary))) WHERE name = \(ResourceSQL.literal(.string(name)))",
                "DROP TABLE \(quoted(name))",
                "ALTER TABLE \(quoted(temporary)) RENAME TO \(quoted(name))"] + createIndexes(declaration)
    }

    /// The temporary table that holds the converted values of a field whose type changed, by record id (no type: each
    /// value kept as bound).
    static func conversionTable(_ resource: String, _ field: String) -> String {
        "temp.\(quoted("convert__\(resource)__\(field)"))"
    }

    /// The statements that rename `declaration`'s table to `name`: SQLite rewrites the references other tables hold
    /// (https://sqlite.org/lang_altertable.html#alter_table_rename), and the indexes are made again under names
    /// that follow the table's.
    static func renameTable(_ declaration: ResourceDeclaration, to name: String) -> [String] {
        dropIndexes(declaration) + ["ALTER TABLE \(quoted(declaration.name)) RENAME TO \(quoted(name))"]
            + createIndexes(declaration.renamed([declaration.name: name]))
    }

    /// The column of `field`: type, `NOT NULL` unless optional, the default, the checks, the reference.
    static func columnDefinition(_ field: ResourceField) -> String {
        ResourceSQL.columnDefinition(field, type: sqlType(field.kind), checks: checks(field.kind, quoted(field.name)), literal: ResourceSQL.literal)
    }

    private static func sqlType(_ kind: ResourceField.Kind) -> String {
        switch kind.storage {
        case .integer, .boolean: "INTEGER"
        case .real: "REAL"
        case .text, .json: "TEXT"
        }
    }

    /// What the column holds its values to; null passes every check (SQL's CHECK fails only on false).
    private static func checks(_ kind: ResourceField.Kind, _ column: String) -> [String] {
        switch kind {
        case .string(let minimum, let maximum, _, _, let choices):
            var checks = lengthChecks("length(\(column))", minimum, maximum)
            // Comparisons rather than IN (list): SQLite builds a temporary b-tree for IN at every insert.
            if let choices { checks.append("(" + choices.map { "\(column) = \(ResourceSQL.literal(.string($0)))" }.joined(separator: " OR ") + ")") }
            return checks
        case .integer(let bounds), .number(let bounds):
            let limits = [(bounds.minimum, ">="), (bounds.maximum, "<="), (bounds.exclusiveMinimum, ">"), (bounds.exclusiveMaximum, "<")]
            return limits.compactMap { bound, comparison in bound.map { "\(column) \(comparison) \(ResourceSQL.literal(.double($0)))" } }
        case .boolean: return ["(\(column) = 0 OR \(column) = 1)"]
        case .array(_, let minimum, let maximum):
            return ["json_type(\(column)) = 'array'"] + lengthChecks("json_array_length(\(column))", minimum, maximum)
        case .object(let maxBytes):
            return ["json_type(\(column)) = 'object'"] + lengthChecks("length(CAST(\(column) AS BLOB))", nil, maxBytes)
        case .date, .datetime, .reference: return []
        }
    }

    private static func lengthChecks(_ length: String, _ minimum: Int?, _ maximum: Int?) -> [String] {
        (minimum.map { ["\(length) >= \($0)"] } ?? []) + (maximum.map { ["\(length) <= \($0)"] } ?? [])
    }

    static func quoted(_ name: String) -> String { SQLiteResourceTable.quoted(name) }
}
