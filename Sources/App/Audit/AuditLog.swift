/// The audit log.
protocol AuditLog {
    /// Appends an entry unless `job` has written one already (a job run again after a crash).
    func append(_ entry: AuditJob.Payload, job: Int64) throws
    /// Up to `limit` entries older than `beforeID` (all when nil), newest first.
    func page(before beforeID: Int64?, limit: Int) throws -> [AuditEntry]
}
