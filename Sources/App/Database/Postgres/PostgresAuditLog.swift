import Postgres

/// The SQL of `audit_log` on PostgreSQL.
struct PostgresAuditLog: AuditLog {
    let session: PostgresSession

    func append(_ record: AuditJob.Payload, job: Int64) throws {
        _ = try session.run("""
            INSERT INTO audit_log (actor, "user", action, request_id, created_at, job_id) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (job_id) DO NOTHING
            """, [record.actor, record.user, record.action, record.requestID, record.createdAt, job])
    }

    func page(before beforeID: Int64?, limit: Int) throws -> [AuditEntry] {
        try session.rows("""
            SELECT id, actor, "user", action, request_id, created_at FROM audit_log WHERE $1::bigint IS NULL OR id < $1 ORDER BY id DESC LIMIT $2
            """, [beforeID, limit]) { row in
            AuditEntry(id: row.int64(0), actor: row.string(1), user: row.string(2), action: row.string(3), requestID: row.string(4),
                       createdAt: row.string(5))
        }
    }
}
