import Storage

/// The SQL of `audit_log`.
struct SQLiteAuditLog: AuditLog {
    let database: Database

    func append(_ record: AuditJob.Payload, job: Int64) throws {
        try database.execute("""
            INSERT INTO audit_log (actor, user, action, request_id, created_at, job_id) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (job_id) DO NOTHING
            """, record.actor, record.user, record.action, record.requestID, record.createdAt, job)
    }

    func page(before beforeID: Int64?, limit: Int) throws -> [AuditEntry] {
        try database.query("""
            SELECT id, actor, user, action, request_id, created_at FROM audit_log WHERE ?1 IS NULL OR id < ?1 ORDER BY id DESC LIMIT ?2
            """, beforeID, limit) { row in
            AuditEntry(id: row.int64(0), actor: row.string(1), user: row.string(2), action: row.string(3), requestID: row.string(4),
                       createdAt: row.string(5))
        }
    }
}
