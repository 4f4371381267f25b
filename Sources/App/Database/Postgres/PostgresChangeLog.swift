import JSON
import Postgres

/// The `changes` table on PostgreSQL, read by the streams and trimmed by the housekeeping tick.
struct PostgresChangeLog: ChangeLog {
    let session: PostgresSession

    private static let columns = "seq, resource, record_id, operation, record, previous, actor, request_id, at"

    func changes(after sequence: Int64, of resource: String?, limit: Int) throws -> [Change] {
        let rows = try session.run("""
            SELECT \(Self.columns) FROM changes WHERE ($1::text IS NULL OR resource = $1) AND seq > $2 ORDER BY seq LIMIT $3
            """, [resource, sequence, Int64(min(limit, Int(Int64.max)))]).records
        return try rows.map(Self.change)
    }

    /// The sequence's last number, not the newest row's: purging the newest rows never brings a number back.
    func bounds() throws -> (first: Int64, last: Int64) {
        let row = try session.row("""
            SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM changes_seq_seq), (SELECT min(seq) FROM changes)
            """) { ($0.int64(0), $0.optionalInt64(1)) }
        let last = row?.0 ?? 0
        return (row?.1 ?? last + 1, last)
    }

    func purge(before cutoff: String, keeping count: Int, limit: Int) throws -> Int {
        let (_, last) = try bounds()
        return try session.run("""
            DELETE FROM changes WHERE seq IN (
                SELECT seq FROM changes WHERE at < $1 UNION SELECT seq FROM changes WHERE seq <= $2 ORDER BY 1 LIMIT $3)
            """, [cutoff, last - Int64(count), Int64(limit)]).affectedRows
    }

    private static func change(_ row: PostgresRow) throws -> Change {
        Change(sequence: row.int64(0), resource: row.string(1), recordID: row.int64(2), operation: Change.Operation(rawValue: row.string(3)) ?? .updated,
               record: try JSONParser.parse(Array(row.string(4).utf8)).objectValue ?? [:],
               previous: try row.optionalString(5).flatMap { try JSONParser.parse(Array($0.utf8)).objectValue },
               actor: row.optionalInt64(6), requestID: row.optionalString(7), at: row.string(8))
    }
}
