import JSON
import Postgres

/// The SQL of one resource's table on PostgreSQL, in the session of a read or a write. A list's statement depends on
/// its filter and sort, so it is built per request, every value a parameter. Every change of a record is logged by
/// the table's trigger (`PostgresResourceSchema.logTrigger`), in the same transaction.
struct PostgresResourceStore: ResourceStore {
    let session: PostgresSession
    let table: PostgresResourceTable

    func record(id: Int64) throws -> JSONObject? {
        try session.row(table.byIDSQL + (session.locksRows ? " FOR NO KEY UPDATE" : ""), [id], read: table.record)
    }

    func page(_ query: ResourceQuery) throws -> [JSONObject] {
        var parameters = PostgresParameters()
        var compiler = PostgresFilterCompiler(table: table, caller: query.caller, now: query.now)
        var conditions = query.filter.map { [compiler.condition($0, &parameters)] } ?? []
        if let after = query.after { conditions.append(keyset(after: after, sort: query.sort, &parameters)) }
        var sql = table.selectSQL
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        // SQLite's order of nulls (first ascending, last descending), which the keyset condition follows.
        sql += " ORDER BY " + (query.sort.map { "\(PostgresResourceTable.quoted($0.field)) \($0.isDescending ? "DESC NULLS LAST" : "ASC NULLS FIRST")" }
            + ["\"id\" ASC"]).joined(separator: ", ") + " LIMIT " + parameters.add(String(query.limit))
        return try session.run(sql, texts: parameters.texts).records.map(table.record)
    }

    func count(_ filter: Filter?, caller: FilterCaller?, now: String) throws -> Int {
        var parameters = PostgresParameters()
        var compiler = PostgresFilterCompiler(table: table, caller: caller, now: now)
        let sql = table.countSQL + (filter.map { " WHERE " + compiler.condition($0, &parameters) } ?? "")
        return try session.run(sql, texts: parameters.texts).records.first?.int(0) ?? 0
    }

    func totalCount() throws -> Int {
        try session.row(table.countSQL) { $0.int(0) } ?? 0
    }

    func insert(_ values: JSONObject, ownerID: Int64?, at now: String) throws -> JSONObject {
        let fields = table.declaration.fields.map { field in ResourceColumn.stored(values[field.name] ?? .null, field.kind.storage) }
        try checkReferences(values)
        var texts = fields.map(PostgresResourceTable.parameter)
        if table.declaration.hasOwner { texts.append(ownerID.map(String.init)) }
        texts += [now, now]
        let id = try refusingDuplicates { try session.run(table.insertSQL, texts: texts).records.first?.int64(0) ?? 0 }
        return ResourceColumn.inserted(table.declaration, id: id, fields: fields, ownerID: ownerID, at: now)
    }

    func update(id: Int64, setting changes: JSONObject, at now: String) throws -> JSONObject? {
        try checkReferences(changes)
        var parameters = PostgresParameters()
        let assignments = changes.members.compactMap { member in
            table.column(member.key).map { "\(PostgresResourceTable.quoted(member.key)) = \(parameters.add(PostgresResourceTable.parameter(member.value, storedAs: $0.storage))), " }
        }
        let sql = "UPDATE \(table.quotedName) SET " + assignments.joined() + "\"updated_at\" = \(parameters.add(now)), \"version\" = \"version\" + 1 "
            + "WHERE \"id\" = \(parameters.add(String(id))) RETURNING " + table.columns.map { PostgresResourceTable.quoted($0.name) }.joined(separator: ", ")
        return try refusingDuplicates { try session.run(sql, texts: parameters.texts).records.first.map(table.record) }
    }

    func restore(_ record: JSONObject) throws {
        try checkReferences(record)
        let texts = table.columns.map { PostgresResourceTable.parameter(record[$0.name] ?? .null, storedAs: $0.storage) }
        try refusingDuplicates { _ = try session.run(table.restoreSQL, texts: texts) }
        _ = try session.run(table.advanceIDsSQL)
    }

    func delete(id: Int64) throws -> Bool {
        do {
            return try session.run(table.deleteSQL, [id]).affectedRows == 1
        } catch let error as PostgresError where error.isForeignKeyViolation {
            throw ResourceRefusal.stillReferenced(resource: table.declaration.name)
        }
    }

    /// Refuses a reference to a record that does not exist, naming the field (rather than the foreign key's failure).
    private func checkReferences(_ values: JSONObject) throws {
        for check in table.referenceChecks {
            guard case .integer(let id)? = values[check.field] else { continue }
            if try session.row(check.sql, [id], read: { _ in true }) == nil {
                throw ResourceRefusal.missingReference(field: check.field, target: check.target, id: id)
            }
        }
    }

    /// Runs `write`, turning a taken unique key into `ResourceRefusal.duplicate` with the fields of the unique index
    /// PostgreSQL names (`projects__unique__owner_id__name`; the primary key's is `id`).
    private func refusingDuplicates<T>(_ write: () throws -> T) throws -> T {
        do { return try write() } catch let error as PostgresError where error.meaning == .uniqueViolation {
            throw ResourceRefusal.duplicate(resource: table.declaration.name, fields: Self.uniqueFields(error.message))
        }
    }

    /// `duplicate key value violates unique constraint "projects__unique__owner_id__name"` gives `owner_id`, `name`.
    private static func uniqueFields(_ message: String) -> [String] {
        let name = message.split(separator: "\"").dropFirst().first.map(String.init) ?? ""
        guard let marker = name.firstRange(of: "__unique__") else { return ["id"] }
        return name[marker.upperBound...].split(separator: "__").map(String.init)
    }

    /// The condition of rows after the cursor in `sort` order, then by ascending id, as SQLite's store builds it: null
    /// sorts first ascending and last descending; the first key also bounds the scan on its own, for its index.
    private func keyset(after cursor: ResourceCursor, sort: [ResourceSortKey], _ parameters: inout PostgresParameters) -> String {
        var condition = "\"id\" > \(parameters.add(String(cursor.id)))"
        for (key, value) in zip(sort, cursor.values).reversed() {
            let column = PostgresResourceTable.quoted(key.field)
            let nullable = table.column(key.field)?.isNullable ?? true
            let stored = table.parameter(value, for: key.field)
            let after: String = switch (key.isDescending, value == .null) {
            case (false, true): "\(column) IS NOT NULL"
            case (false, false): "\(column) > \(parameters.add(stored))"
            case (true, true): "FALSE"
            case (true, false): nullable ? "(\(column) < \(parameters.add(stored)) OR \(column) IS NULL)" : "\(column) < \(parameters.add(stored))"
            }
            let equal = value == .null ? "\(column) IS NULL" : "\(column) = \(parameters.add(stored))"
            condition = "(\(after) OR (\(equal) AND \(condition)))"
        }
        if let first = sort.first, let value = cursor.values.first, value != .null, !(first.isDescending && table.column(first.field)?.isNullable != false) {
            condition = "\(PostgresResourceTable.quoted(first.field)) \(first.isDescending ? "<=" : ">=") \(parameters.add(table.parameter(value, for: first.field))) AND \(condition)"
        }
        return "(\(condition))"
    }
}
