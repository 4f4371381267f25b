import Metrics
import Synchronization

/// The `api_jobs_*` metrics: outcomes counted by the runner, the backlog read from the database at scrape time.
final class JobMetrics: Sendable {
    private struct Counts {
        var started = 0
        var succeeded = 0
        var retried = 0
        var dead = 0
    }

    private let counts = Mutex(Counts())

    func countStarted(_ count: Int) { counts.withLock { $0.started += count } }
    func countSucceeded() { counts.withLock { $0.succeeded += 1 } }
    func countRetried() { counts.withLock { $0.retried += 1 } }
    func countDead() { counts.withLock { $0.dead += 1 } }

    /// Writes the families, with `backlog` as the queue was read at scrape time; `now` in Unix milliseconds.
    func write(to writer: inout ExpositionWriter, backlog: JobBacklog, now: Int64) {
        let counts = counts.withLock { $0 }
        writer.single("api_jobs_queued", .gauge, help: "Background jobs waiting to run (including those waiting for a retry).", Double(backlog.queued))
        writer.single("api_jobs_running", .gauge, help: "Background jobs running now.", Double(backlog.running))
        writer.single("api_jobs_queue_age_seconds", .gauge, help: "Age of the oldest queued job; 0 when the queue is empty.", backlog.oldestQueued.map { Double(max(0, now - $0)) / 1000 } ?? 0)
        writer.single("api_jobs_started_total", .counter, help: "Job runs started by this process (each attempt counts).", Double(counts.started))
        writer.single("api_jobs_succeeded_total", .counter, help: "Jobs that succeeded.", Double(counts.succeeded))
        writer.single("api_jobs_retried_total", .counter, help: "Failed runs put back in the queue for a retry.", Double(counts.retried))
        writer.single("api_jobs_dead_total", .counter, help: "Jobs given up on after their last attempt.", Double(counts.dead))
    }
}
