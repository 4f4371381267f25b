import Postgres

/// The SQL of `jobs` on PostgreSQL. `due` locks the jobs it returns (`FOR UPDATE SKIP LOCKED`), so the runner of
/// another instance, ticking at the same moment, takes other jobs and never the same one. A job marked running holds
/// a lease: if it is still running when the lease runs out, its instance is taken for dead and any instance's runner
/// puts it back in the queue.
struct PostgresJobQueue: JobQueue {
    let session: PostgresSession

    /// How long a running job is its instance's: five minutes, far beyond a tick's batch of jobs.
    static let leaseMilliseconds: Int64 = 300_000

    private static let columns = "id, kind, payload, state, attempts, max_attempts, run_at, last_error, created_at"

    private static func record(_ row: PostgresRow) -> JobRecord {
        JobRecord(id: row.int64(0), kind: row.string(1), payload: row.string(2), state: JobRecord.State(rawValue: row.string(3)) ?? .queued,
                  attempts: row.int(4), maxAttempts: row.int(5), runAt: row.int64(6), lastError: row.optionalString(7), createdAt: row.int64(8))
    }

    func enqueue(kind: String, payload: String, maxAttempts: Int, at now: Int64) throws -> Int64 {
        try session.row("""
            INSERT INTO jobs (kind, payload, state, max_attempts, run_at, created_at, updated_at) VALUES ($1, $2, 'queued', $3, $4, $4, $4)
            RETURNING id
            """, [kind, payload, maxAttempts, now]) { $0.int64(0) } ?? 0
    }

    func due(at now: Int64, limit: Int) throws -> [JobRecord] {
        try session.rows("""
            SELECT \(Self.columns) FROM jobs WHERE state = 'queued' AND run_at <= $1 ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
            """, [now, limit], read: Self.record)
    }

    func markRunning(_ id: Int64, attempts: Int, at now: Int64) throws {
        _ = try session.run("UPDATE jobs SET state = 'running', attempts = $1, updated_at = $2, lease_until = $3 WHERE id = $4",
                            [attempts, now, now + Self.leaseMilliseconds, id])
    }

    func nextDue() throws -> Int64? {
        try session.row("SELECT min(run_at) FROM jobs WHERE state = 'queued'") { $0.optionalInt64(0) } ?? nil
    }

    func finish(_ id: Int64, attempts: Int, at now: Int64, keep: Bool) throws {
        if keep {
            _ = try session.run("""
                UPDATE jobs SET state = 'succeeded', attempts = $1, last_error = NULL, updated_at = $2, finished_at = $2 WHERE id = $3
                """, [attempts, now, id])
        } else {
            _ = try session.run("DELETE FROM jobs WHERE id = $1", [id])
        }
    }

    func retry(_ id: Int64, attempts: Int, at runAt: Int64, error: String, now: Int64) throws {
        _ = try session.run("UPDATE jobs SET state = 'queued', attempts = $1, run_at = $2, last_error = $3, updated_at = $4 WHERE id = $5",
                            [attempts, runAt, error, now, id])
    }

    func markDead(_ id: Int64, attempts: Int, error: String, at now: Int64) throws {
        _ = try session.run("UPDATE jobs SET state = 'dead', attempts = $1, last_error = $2, updated_at = $3, finished_at = $3 WHERE id = $4",
                            [attempts, error, now, id])
    }

    func requeueInterrupted(at now: Int64) throws -> Int {
        try requeueAbandoned(at: now)
    }

    func requeueAbandoned(at now: Int64) throws -> Int {
        try session.run("UPDATE jobs SET state = 'queued', run_at = $1, updated_at = $1 WHERE state = 'running' AND lease_until < $1", [now]).affectedRows
    }

    func requeue(_ id: Int64, at now: Int64) throws -> Bool {
        try session.run("""
            UPDATE jobs SET state = 'queued', attempts = 0, run_at = $1, updated_at = $1, finished_at = NULL WHERE id = $2 AND state != 'succeeded'
            """, [now, id]).affectedRows == 1
    }

    func pruneSucceeded(before cutoff: Int64, limit: Int) throws -> Int {
        try session.run("""
            DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'succeeded' AND finished_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
            """, [cutoff, limit]).affectedRows
    }

    func list(state: JobRecord.State?, limit: Int) throws -> [JobRecord] {
        try session.rows("SELECT \(Self.columns) FROM jobs WHERE $1::text IS NULL OR state = $1 ORDER BY id DESC LIMIT $2",
                         [state?.rawValue, limit], read: Self.record)
    }

    func backlog() throws -> JobBacklog {
        let row = try session.row("""
            SELECT count(*) FILTER (WHERE state = 'queued'), min(created_at) FILTER (WHERE state = 'queued'), count(*) FILTER (WHERE state = 'running')
            FROM jobs WHERE state IN ('queued', 'running')
            """) { JobBacklog(queued: $0.int(0), running: $0.int(2), oldestQueued: $0.optionalInt64(1)) }
        return row ?? JobBacklog()
    }
}
