import JSON
import Storage

/// The `changes` table (core migration 8): read by the streams and the fan-out, trimmed by the housekeeping tick,
/// and written by triggers. The triggers are temporary ones on the writer's connection (`setUp`), so every change
/// that connection commits to a resource's records is logged in the same transaction, whoever makes it: a request,
/// a batch, an import, or a cascade from a deleted user or record. Other connections (a migration rebuilding a
/// table) log nothing.
struct SQLiteChangeLog: ChangeLog {
    let database: Database

    private static let columns = "seq, resource, record_id, operation, record, previous, actor, request_id, at"

    func changes(after sequence: Int64, of resource: String?, limit: Int) throws -> [Change] {
        let bound = Int64(min(limit, Int(Int64.max)))
        if let resource {
            return try database.query("SELECT \(Self.columns) FROM changes WHERE resource = ? AND seq > ? ORDER BY seq LIMIT ?",
                                      resource, sequence, bound, read: Self.change)
        }
        return try database.query("SELECT \(Self.columns) FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", sequence, bound, read: Self.change)
    }

    func bounds() throws -> (first: Int64, last: Int64) {
        let last = try database.queryOne("SELECT seq FROM sqlite_sequence WHERE name = 'changes'") { $0.int64(0) } ?? 0
        let first = try database.queryOne("SELECT min(seq) FROM changes") { $0.optionalInt64(0) } ?? nil
        return (first ?? last + 1, last)
    }

    func purge(before cutoff: String, keeping count: Int, limit: Int) throws -> Int {
        let (_, last) = try bounds()
        try database.execute("""
            DELETE FROM changes WHERE seq IN (
                SELECT seq FROM changes WHERE at < ? UNION SELECT seq FROM changes WHERE seq <= ? ORDER BY 1 LIMIT ?)
            """, cutoff, last - Int64(count), Int64(limit))
        return database.changedRowCount
    }

    private static func change(_ row: Row) throws -> Change {
        Change(sequence: row.int64(0), resource: row.string(1), recordID: row.int64(2), operation: Change.Operation(rawValue: row.string(3)) ?? .updated,
               record: try JSONParser.parse(Array(row.string(4).utf8)).objectValue ?? [:],
               previous: try row.optionalString(5).flatMap { try JSONParser.parse(Array($0.utf8)).objectValue },
               actor: row.optionalInt64(6), requestID: row.optionalString(7), at: row.string(8))
    }

    // MARK: - The triggers

    /// The script that makes the writer's connection log every change of `tables`' records, with the author its
    /// writes name in the temporary `change_author` table.
    static func setUp(_ tables: [SQLiteResourceTable]) -> String {
        (["CREATE TEMP TABLE change_author (actor INTEGER, request_id TEXT)", "INSERT INTO temp.change_author VALUES (NULL, NULL)"]
            + tables.sorted { $0.declaration.name < $1.declaration.name }.flatMap(triggers)).joined(separator: ";\n")
    }

    /// Names `author` for the changes that follow on `database` (the writer's connection).
    static func attribute(_ author: ChangeAuthor, on database: Database) throws {
        try database.execute("UPDATE temp.change_author SET actor = ?, request_id = ?", author.userID, author.requestID)
    }

    /// Forgets the author, so the next write's changes have none unless it names one.
    static func forgetAuthor(on database: Database) throws {
        try database.execute("UPDATE temp.change_author SET actor = NULL, request_id = NULL")
    }

    /// `AFTER INSERT`, `UPDATE` and `DELETE` triggers of one table, each adding the row as JSON.
    private static func triggers(_ table: SQLiteResourceTable) -> [String] {
        let name = table.declaration.name
        let events: [(operation: Change.Operation, event: String, record: String, previous: String?, at: String)] = [
            (.created, "INSERT", "NEW", nil, "NEW.\"updated_at\""),
            (.updated, "UPDATE", "NEW", "OLD", "NEW.\"updated_at\""),
            (.deleted, "DELETE", "OLD", nil, "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"),
        ]
        return events.map { entry in
            """
            CREATE TEMP TRIGGER \(SQLiteResourceTable.quoted("\(name)__log_\(entry.operation.rawValue)")) AFTER \(entry.event) ON main.\(table.quotedName)
            BEGIN
                INSERT INTO changes (resource, record_id, operation, record, previous, actor, request_id, at)
                SELECT \(ResourceSQL.literal(.string(name))), \(entry.record)."id", '\(entry.operation.rawValue)', \(json(table, entry.record)),
                       \(entry.previous.map { json(table, $0) } ?? "NULL"), actor, request_id, \(entry.at) FROM temp.change_author;
            END
            """
        }
    }

    /// `json_object(...)` of the row `row` (`NEW` or `OLD`): each column as the API shows it.
    private static func json(_ table: SQLiteResourceTable, _ row: String) -> String {
        "json_object(" + table.columns.map { column in
            let value = "\(row).\(SQLiteResourceTable.quoted(column.name))"
            let shown = switch column.storage {
            case .integer, .real, .text: value
            case .boolean: "CASE \(value) WHEN 1 THEN json('true') WHEN 0 THEN json('false') END"
            case .json: "json(\(value))"
            }
            return "\(ResourceSQL.literal(.string(column.name))), \(shown)"
        }.joined(separator: ", ") + ")"
    }
}
