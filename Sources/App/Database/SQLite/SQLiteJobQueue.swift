import Storage

/// The SQL of `jobs`.
struct SQLiteJobQueue: JobQueue {
    let database: Database

    private static let columns = "id, kind, payload, state, attempts, max_attempts, run_at, last_error, created_at"

    private static func record(_ row: Row) -> JobRecord {
        JobRecord(id: row.int64(0), kind: row.string(1), payload: row.string(2), state: JobRecord.State(rawValue: row.string(3)) ?? .queued,
                  attempts: row.int(4), maxAttempts: row.int(5), runAt: row.int64(6), lastError: row.optionalString(7), createdAt: row.int64(8))
    }

    func enqueue(kind: String, payload: String, maxAttempts: Int, at now: Int64) throws -> Int64 {
        try database.execute("""
            INSERT INTO jobs (kind, payload, state, max_attempts, run_at, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?, ?, ?)
            """, kind, payload, maxAttempts, now, now, now)
        return database.lastInsertedRowID
    }

    func due(at now: Int64, limit: Int) throws -> [JobRecord] {
        try database.query("SELECT \(Self.columns) FROM jobs WHERE state = 'queued' AND run_at <= ? ORDER BY run_at, id LIMIT ?", now, limit,
                           read: Self.record)
    }

    func markRunning(_ id: Int64, attempts: Int, at now: Int64) throws {
        try database.execute("UPDATE jobs SET state = 'running', attempts = ?, updated_at = ? WHERE id = ?", attempts, now, id)
    }

    func nextDue() throws -> Int64? {
        try database.queryOne("SELECT min(run_at) FROM jobs WHERE state = 'queued'") { $0.optionalInt64(0) } ?? nil
    }

    func finish(_ id: Int64, attempts: Int, at now: Int64, keep: Bool) throws {
        if keep {
            try database.execute("""
                UPDATE jobs SET state = 'succeeded', attempts = ?1, last_error = NULL, updated_at = ?2, finished_at = ?2 WHERE id = ?3
                """, attempts, now, id)
        } else {
            try database.execute("DELETE FROM jobs WHERE id = ?", id)
        }
    }

    func retry(_ id: Int64, attempts: Int, at runAt: Int64, error: String, now: Int64) throws {
        try database.execute("UPDATE jobs SET state = 'queued', attempts = ?, run_at = ?, last_error = ?, updated_at = ? WHERE id = ?",
                             attempts, runAt, error, now, id)
    }

    func markDead(_ id: Int64, attempts: Int, error: String, at now: Int64) throws {
        try database.execute("UPDATE jobs SET state = 'dead', attempts = ?1, last_error = ?2, updated_at = ?3, finished_at = ?3 WHERE id = ?4",
                             attempts, error, now, id)
    }

    func requeueInterrupted(at now: Int64) throws -> Int {
        try database.execute("UPDATE jobs SET state = 'queued', run_at = ?1, updated_at = ?1 WHERE state = 'running'", now)
        return database.changedRowCount
    }

    /// None: one process serves the file, and its jobs left running are requeued when it starts.
    func requeueAbandoned(at now: Int64) throws -> Int { 0 }

    func requeue(_ id: Int64, at now: Int64) throws -> Bool {
        try database.execute("UPDATE jobs SET state = 'queued', attempts = 0, run_at = ?1, updated_at = ?1, finished_at = NULL WHERE id = ?2 AND state != 'succeeded'",
                             now, id)
        return database.changedRowCount == 1
    }

    func pruneSucceeded(before cutoff: Int64, limit: Int) throws -> Int {
        try database.execute("DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'succeeded' AND finished_at < ? LIMIT ?)", cutoff, limit)
        return database.changedRowCount
    }

    func list(state: JobRecord.State?, limit: Int) throws -> [JobRecord] {
        try database.query("SELECT \(Self.columns) FROM jobs WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC LIMIT ?2", state?.rawValue, limit, read: Self.record)
    }

    func backlog() throws -> JobBacklog {
        let queued = try database.queryOne("SELECT count(*), min(created_at) FROM jobs WHERE state = 'queued'") { ($0.int(0), $0.optionalInt64(1)) }
        let running = try database.queryOne("SELECT count(*) FROM jobs WHERE state = 'running'") { $0.int(0) }
        return JobBacklog(queued: queued?.0 ?? 0, running: running ?? 0, oldestQueued: queued?.1 ?? nil)
    }
}
