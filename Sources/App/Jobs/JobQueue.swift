/// The durable job queue (`JobRunner`). Taking and recording jobs run in the writer's transactions; listing in any.
/// Times are Unix milliseconds.
protocol JobQueue {
    /// Queues a job to run at `now`; returns its id.
    func enqueue(kind: String, payload: String, maxAttempts: Int, at now: Int64) throws -> Int64
    /// Up to `limit` queued jobs that are due at `now`, oldest first.
    func due(at now: Int64, limit: Int) throws -> [JobRecord]
    /// Marks a job as running its attempt number `attempts`, to be run outside the transaction.
    func markRunning(_ id: Int64, attempts: Int, at now: Int64) throws
    /// When the next queued job falls due, or nil when none is queued.
    func nextDue() throws -> Int64?
    /// Records a success after `attempts` runs: the job is kept as `succeeded` when `keep` (for `jobs.retention_s`),
    /// else deleted, which keeps the queue as small as the work in hand.
    func finish(_ id: Int64, attempts: Int, at now: Int64, keep: Bool) throws
    /// Puts a job that failed its run number `attempts` back in the queue until `runAt`, keeping the error.
    func retry(_ id: Int64, attempts: Int, at runAt: Int64, error: String, now: Int64) throws
    /// Gives up on a job after `attempts` runs: it stays, dead, with its last error.
    func markDead(_ id: Int64, attempts: Int, error: String, at now: Int64) throws
    /// Jobs a crash left `running` go back to the queue (their attempts count); returns how many. At a start: on
    /// SQLite every running job (one process serves the file); on PostgreSQL those whose lease has run out, since the
    /// other instances on the database may be running theirs.
    func requeueInterrupted(at now: Int64) throws -> Int
    /// Jobs whose lease has run out go back to the queue, as the runner's housekeeping finds them: those of an
    /// instance that died while running them (PostgreSQL). SQLite leaves none (its one process requeues at its start).
    func requeueAbandoned(at now: Int64) throws -> Int
    /// `api jobs retry`: a dead (or any unfinished) job runs again, with a fresh count of attempts. `false` if there
    /// is no such job or it already succeeded.
    func requeue(_ id: Int64, at now: Int64) throws -> Bool
    /// Deletes jobs that succeeded before `cutoff`, at most `limit` at a time (so one prune is a short transaction).
    func pruneSucceeded(before cutoff: Int64, limit: Int) throws -> Int
    /// Jobs in `state` (all when nil), newest first, at most `limit`.
    func list(state: JobRecord.State?, limit: Int) throws -> [JobRecord]
    /// How many jobs are queued and running, and when the oldest queued one was created (for metrics).
    func backlog() throws -> JobBacklog
}

/// The queue's size, for the `api_jobs_*` gauges.
struct JobBacklog: Sendable, Equatable {
    var queued = 0
    var running = 0
    /// When the oldest queued job was created (Unix milliseconds); nil when none is queued.
    var oldestQueued: Int64?
}
