import Storage

/// The SQL of `jobs`. Claiming and completing run in the writer's transactions; listing on any connection.
enum JobStore {
    private static let columns = "id, kind, payload, state, attempts, max_attempts, run_at, last_error, created_at"

    private static func record(_ row: Row) -> JobRecord {
        JobRecord(id: row.int64(0), kind: row.string(1), payload: row.string(2), state: JobRecord.State(rawValue: row.string(3)) ?? .queued,
                  attempts: row.int(4), maxAttempts: row.int(5), runAt: row.int64(6), lastError: row.optionalString(7), createdAt: row.int64(8))
    }

    /// Queues a job to run at `now`; returns its id.
    static func enqueue(kind: String, payload: String, maxAttempts: Int, at now: Int64, in database: Database) throws -> Int64 {
        try database.execute("""
            INSERT INTO jobs (kind, payload, state, max_attempts, run_at, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?, ?, ?)
            """, kind, payload, maxAttempts, now, now, now)
        return database.lastInsertedRowID
    }

    /// Up to `limit` queued jobs that are due, oldest first.
    static func due(at now: Int64, limit: Int, in database: Database) throws -> [JobRecord] {
        try database.query("SELECT \(columns) FROM jobs WHERE state = 'queued' AND run_at <= ? ORDER BY run_at, id LIMIT ?", now, limit,
                           read: record)
    }

    /// Marks a job as running its attempt number `attempts`, to be run outside the transaction.
    static func markRunning(_ id: Int64, attempts: Int, at now: Int64, in database: Database) throws {
        try database.execute("UPDATE jobs SET state = 'running', attempts = ?, updated_at = ? WHERE id = ?", attempts, now, id)
    }

    /// When the next queued job falls due (Unix milliseconds), or nil when none is queued.
    static func nextDue(in database: Database) throws -> Int64? {
        try database.queryOne("SELECT min(run_at) FROM jobs WHERE state = 'queued'") { $0.optionalInt64(0) } ?? nil
    }

    /// Records a success after `attempts` runs: the row is kept as `succeeded` when `keep` (for
    /// `jobs.retention_s`), else deleted, which keeps the table as small as the work in hand.
    static func finish(_ id: Int64, attempts: Int, at now: Int64, keep: Bool, in database: Database) throws {
        if keep {
            try database.execute("""
                UPDATE jobs SET state = 'succeeded', attempts = ?1, last_error = NULL, updated_at = ?2, finished_at = ?2 WHERE id = ?3
                """, attempts, now, id)
        } else {
            try database.execute("DELETE FROM jobs WHERE id = ?", id)
        }
    }

    /// Puts a job that failed its run number `attempts` back in the queue until `runAt`, keeping the error.
    static func retry(_ id: Int64, attempts: Int, at runAt: Int64, error: String, now: Int64, in database: Database) throws {
        try database.execute("UPDATE jobs SET state = 'queued', attempts = ?, run_at = ?, last_error = ?, updated_at = ? WHERE id = ?",
                             attempts, runAt, error, now, id)
    }

    /// Gives up on a job after `attempts` runs: it stays, dead, with its last error.
    static func markDead(_ id: Int64, attempts: Int, error: String, at now: Int64, in database: Database) throws {
        try database.execute("UPDATE jobs SET state = 'dead', attempts = ?1, last_error = ?2, updated_at = ?3, finished_at = ?3 WHERE id = ?4",
                             attempts, error, now, id)
    }

    /// Jobs a crash left `running` go back to the queue (their attempt counts); returns how many.
    static func requeueInterrupted(at now: Int64, in database: Database) throws -> Int {
        try database.execute("UPDATE jobs SET state = 'queued', run_at = ?1, updated_at = ?1 WHERE state = 'running'", now)
        return database.changedRowCount
    }

    /// `api jobs retry`: a dead (or any unfinished) job runs again, with a fresh count of attempts. `false` if
    /// there is no such job or it already succeeded.
    static func requeue(_ id: Int64, at now: Int64, in database: Database) throws -> Bool {
        try database.execute("UPDATE jobs SET state = 'queued', attempts = 0, run_at = ?1, updated_at = ?1, finished_at = NULL WHERE id = ?2 AND state != 'succeeded'",
                             now, id)
        return database.changedRowCount == 1
    }

    /// Deletes jobs that succeeded before `cutoff`, at most `limit` at a time (so one prune is a short transaction).
    static func pruneSucceeded(before cutoff: Int64, limit: Int, in database: Database) throws -> Int {
        try database.execute("DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'succeeded' AND finished_at < ? LIMIT ?)", cutoff, limit)
        return database.changedRowCount
    }

    /// Jobs in `state` (all when nil), newest first, at most `limit`.
    static func list(state: JobRecord.State?, limit: Int, in database: Database) throws -> [JobRecord] {
        try database.query("SELECT \(columns) FROM jobs WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC LIMIT ?2", state?.rawValue, limit, read: record)
    }

    /// How many jobs are queued and running, and when the oldest queued one was created (for metrics).
    static func backlog(in database: Database) throws -> (queued: Int, running: Int, oldestQueued: Int64?) {
        let queued = try database.queryOne("SELECT count(*), min(created_at) FROM jobs WHERE state = 'queued'") { ($0.int(0), $0.optionalInt64(1)) }
        let running = try database.queryOne("SELECT count(*) FROM jobs WHERE state = 'running'") { $0.int(0) }
        return (queued?.0 ?? 0, running ?? 0, queued?.1 ?? nil)
    }
}
