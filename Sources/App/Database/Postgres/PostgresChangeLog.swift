import JSON
import Postgres

/// The `changes` table on PostgreSQL, read by the streams and trimmed by the housekeeping tick.
struct PostgresChangeLog: ChangeLog {
    let session: PostgresSession
    /// The resources' tables, by name: a logged record is shown as the API shows it (`row_to_json` writes a `number`
    /// field's 5.0 as 5).
    var tables: [String: PostgresResourceTable] = [:]

    private static let columns = "seq, resource, record_id, operation, record, previous, actor, request_id, at"

    func changes(after sequence: Int64, of resource: String?, limit: Int) throws -> [Change] {
        let rows = try session.run("""
            SELECT \(Self.columns) FROM changes WHERE ($1::text IS NULL OR resource = $1) AND seq > $2 ORDER BY seq LIMIT $3
            """, [resource, sequence, Int64(min(limit, Int(Int64.max)))]).records
        return try rows.map(change)
    }

    /// The newest committed number, not the sequence's last: a number a transaction still open has taken (it holds
    /// the log's lock) is not a bound a reader may start after. A log purged empty says 0: a stream resuming from a
    /// later id is told `reset`.
    func bounds() throws -> (first: Int64, last: Int64) {
        let row = try session.row("SELECT min(seq), max(seq) FROM changes") { ($0.optionalInt64(0), $0.optionalInt64(1)) }
        let last = row?.1 ?? 0
        return (row?.0 ?? last + 1, last)
    }

    func purge(before cutoff: String, keeping count: Int, limit: Int) throws -> Int {
        let (_, last) = try bounds()
        return try session.run("""
            DELETE FROM changes WHERE seq IN (
                SELECT seq FROM changes WHERE at < $1 UNION SELECT seq FROM changes WHERE seq <= $2 ORDER BY 1 LIMIT $3)
            """, [cutoff, last - Int64(count), Int64(limit)]).affectedRows
    }

    private func change(_ row: PostgresRow) throws -> Change {
        let table = tables[row.string(1)]
        return Change(sequence: row.int64(0), resource: row.string(1), recordID: row.int64(2), operation: Change.Operation(rawValue: row.string(3)) ?? .updated,
                      record: Self.shown(try JSONParser.parse(Array(row.string(4).utf8)).objectValue ?? [:], table),
                      previous: try row.optionalString(5).flatMap { try JSONParser.parse(Array($0.utf8)).objectValue }.map { Self.shown($0, table) },
                      actor: row.optionalInt64(6), requestID: row.optionalString(7), at: row.string(8))
    }

    /// `record` as the API shows it: its `number` fields as doubles, and its members in the order of the declaration,
    /// whatever the order of the table's columns (a field whose type changed has its column last). Members the
    /// declaration no longer names (a change logged before a field was dropped) follow, as they were.
    private static func shown(_ record: JSONObject, _ table: PostgresResourceTable?) -> JSONObject {
        guard let table else { return record }
        let declared = table.columns.compactMap { column in
            record[column.name].map { JSONMember(key: column.name, value: ResourceColumn.stored($0, column.storage)) }
        }
        return JSONObject(declared + record.members.filter { table.column($0.key) == nil })
    }
}
