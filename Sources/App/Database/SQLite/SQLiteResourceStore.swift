import JSON
import Storage

/// The SQL of one resource's table, on the connection of the transaction. The statements of a record are built once
/// (`SQLiteResourceTable`); a list's depend on its filter and sort, so they are built per shape, with every value
/// bound, and kept in the connection's bounded statement cache.
struct SQLiteResourceStore: ResourceStore {
    let database: Database
    let table: SQLiteResourceTable

    func record(id: Int64) throws -> JSONObject? {
        try database.queryOne(table.byIDSQL, id, read: table.record)
    }

    func page(_ query: ResourceQuery) throws -> [JSONObject] {
        var compiler = SQLiteFilterCompiler(table: table, caller: query.caller, now: query.now)
        var conditions = query.filter.map { [compiler.condition($0)] } ?? []
        var arguments = compiler.arguments
        if let after = query.after { conditions.append(keyset(after: after, sort: query.sort, arguments: &arguments)) }
        var sql = table.selectSQL
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY " + (query.sort.map { "\(SQLiteResourceTable.quoted($0.field)) \($0.isDescending ? "DESC" : "ASC")" } + ["\"id\" ASC"])
            .joined(separator: ", ") + " LIMIT ?"
        arguments.append(query.limit)
        return try database.query(sql, arguments: arguments, read: table.record)
    }

    func count(_ filter: Filter?, caller: FilterCaller?, now: String) throws -> Int {
        var compiler = SQLiteFilterCompiler(table: table, caller: caller, now: now)
        let sql = table.countSQL + (filter.map { " WHERE " + compiler.condition($0) } ?? "")
        return try database.query(sql, arguments: compiler.arguments) { $0.int(0) }.first ?? 0
    }

    func totalCount() throws -> Int {
        try database.queryOne(table.countSQL) { $0.int(0) } ?? 0
    }

    func insert(_ values: JSONObject, ownerID: Int64?, at now: String) throws -> JSONObject {
        let fields = table.declaration.fields.map { field in
            SQLiteResourceTable.stored(values[field.name] ?? .null, field.kind.storage)
        }
        try checkReferences(values)
        var arguments = fields.map(SQLiteResourceTable.bindable)
        if table.declaration.hasOwner { arguments.append(ownerID) }
        arguments += [now, now]
        try refusingDuplicates { try database.execute(table.insertSQL, arguments: arguments) }
        return ResourceColumn.inserted(table.declaration, id: database.lastInsertedRowID, fields: fields, ownerID: ownerID, at: now)
    }

    func update(id: Int64, setting changes: JSONObject, at now: String) throws -> JSONObject? {
        try checkReferences(changes)
        let assigned = changes.members.compactMap { member in table.column(member.key).map { (member.key, $0.storage, member.value) } }
        let sql = "UPDATE \(table.quotedName) SET " + (assigned.map { "\(SQLiteResourceTable.quoted($0.0)) = ?, " }.joined())
            + "\"updated_at\" = ?, \"version\" = \"version\" + 1 WHERE \"id\" = ?"
        let arguments = assigned.map { SQLiteResourceTable.argument($0.2, storedAs: $0.1) } + [now, id]
        try refusingDuplicates { try database.execute(sql, arguments: arguments) }
        return database.changedRowCount == 1 ? try record(id: id) : nil
    }

    func restore(_ record: JSONObject) throws {
        try checkReferences(record)
        let arguments = table.columns.map { SQLiteResourceTable.argument(record[$0.name] ?? .null, storedAs: $0.storage) }
        try refusingDuplicates { try database.execute(table.restoreSQL, arguments: arguments) }
    }

    func delete(id: Int64) throws -> Bool {
        do {
            try database.execute(table.deleteSQL, id)
        } catch where error.isForeignKeyViolation {
            throw ResourceRefusal.stillReferenced(resource: table.declaration.name)
        }
        return database.changedRowCount == 1
    }

    /// Refuses a reference to a record that does not exist, naming the field (rather than SQLite's anonymous
    /// foreign-key failure).
    private func checkReferences(_ values: JSONObject) throws {
        for check in table.referenceChecks {
            guard case .integer(let id)? = values[check.field] else { continue }
            if try database.queryOne(check.sql, id, read: { _ in true }) == nil {
                throw ResourceRefusal.missingReference(field: check.field, target: check.target, id: id)
            }
        }
    }

    /// Runs `write`, turning a taken unique key into `ResourceRefusal.duplicate` with the fields SQLite names
    /// (`UNIQUE constraint failed: projects.owner_id, projects.name`).
    private func refusingDuplicates(_ write: () throws -> Void) throws {
        do { try write() } catch let error as SQLiteError where error.isUniqueViolation {
            throw ResourceRefusal.duplicate(resource: table.declaration.name, fields: error.uniqueColumns)
        }
    }

    /// The condition of rows after the cursor in `sort` order, then by ascending id. Null sorts first ascending and
    /// last descending (SQLite's order); a nullable column's nulls are handled apart, so every row is after or before.
    /// The first key also bounds the scan on its own (`"budget" <= ?`), so an index on it is used.
    private func keyset(after cursor: ResourceCursor, sort: [ResourceSortKey], arguments: inout [any SQLBindable]) -> String {
        var condition = "\"id\" > ?"
        var bound: [any SQLBindable] = [cursor.id]
        for (key, value) in zip(sort, cursor.values).reversed() {
            let column = SQLiteResourceTable.quoted(key.field)
            let nullable = table.column(key.field)?.isNullable ?? true
            let stored = table.argument(value, for: key.field)
            let (after, afterArguments) = Self.strictlyAfter(column, value, stored, descending: key.isDescending, nullable: nullable)
            let equal = value == .null ? "\(column) IS NULL" : "\(column) = ?"
            condition = "(\(after) OR (\(equal) AND \(condition)))"
            bound = afterArguments + (value == .null ? [] : [stored]) + bound
        }
        if let first = sort.first, let value = cursor.values.first, value != .null, !(first.isDescending && table.column(first.field)?.isNullable != false) {
            condition = "\(SQLiteResourceTable.quoted(first.field)) \(first.isDescending ? "<=" : ">=") ? AND \(condition)"
            bound.insert(table.argument(value, for: first.field), at: 0)
        }
        arguments += bound
        return "(\(condition))"
    }

    private static func strictlyAfter(_ column: String, _ value: JSONValue, _ stored: any SQLBindable, descending: Bool,
                                      nullable: Bool) -> (String, [any SQLBindable]) {
        switch (descending, value == .null) {
        case (false, true): ("\(column) IS NOT NULL", [])
        case (false, false): ("\(column) > ?", [stored])
        case (true, true): ("0", [])
        case (true, false): (nullable ? "(\(column) < ? OR \(column) IS NULL)" : "\(column) < ?", [stored])
        }
    }
}
