import Dispatch
import Glibc
import JSON
import Storage
import Synchronization

/// Runs durable background jobs (issue 8) off the event loops, driven from one serial dispatch queue.
///
/// Each tick is one transaction of the database writer. It records the outcomes of the jobs run since the last
/// tick, then takes the next batch of due jobs from the queue. Jobs of transactional kinds (`JobKind`) run right
/// there, so taking, running and recording them is a single commit; the others are marked `running` and run on
/// this queue after the commit, outside any transaction, and their outcomes go into the next tick. A steady stream
/// of jobs thus costs one commit per batch, and a crash loses nothing: an uncommitted tick leaves its jobs queued,
/// and jobs left `running` go back to the queue at the next start. Failed runs are retried with exponential
/// backoff and jitter, up to `jobs.max_attempts`; then the job is `dead` with its last error.
final class JobRunner: @unchecked Sendable {
    // @unchecked: `pendingOutcomes` and `ticks` are touched only on `queue`; the rest is immutable or atomic.

    /// A job encoded for the queue, to be inserted inside a write transaction.
    struct NewJob: Sendable {
        let kind: String
        let payload: String
    }

    private enum Outcome {
        case succeeded(JobRecord, JobEffect?)
        case failed(JobRecord, String)
    }

    /// What recording an outcome did, counted once the transaction has committed.
    private enum Recorded: Sendable {
        case succeeded, retried, dead
    }

    /// Thrown out of a tick whose effects run without savepoints when one of them fails: the tick is rolled back
    /// and runs again with each effect isolated, so the failure undoes only that job's writes.
    private struct EffectFailed: Error {}

    /// What one tick's transaction did.
    private struct Tick: Sendable {
        var recorded: [Recorded] = []
        /// Jobs marked running, to run after the commit.
        var outside: [JobRecord] = []
        /// Jobs run inside the transaction.
        var inside = 0
        /// When the next queued job falls due, when none was due now.
        var nextDue: Int64?
    }

    private let writer: DatabaseWriter
    private let kinds: [String: RegisteredJobKind]
    private let settings: JobSettings
    let metrics = JobMetrics()
    private let queue = DispatchQueue(label: "jobs")
    private var pendingOutcomes: [Outcome] = []          // queue only
    private var ticks = 0                                // queue only
    /// Whether effects run in savepoints: only after an effect failed, for the tick that records that failure.
    private var isolatesEffects = false                  // queue only
    private let isTickScheduled = Atomic<Bool>(false)
    private let isStopping = Atomic<Bool>(false)
    private static let idlePollMilliseconds: Int64 = 1_000
    private static let pruneEveryTicks = 100

    /// A runner of `kinds` that writes through `writer`.
    init(writer: DatabaseWriter, kinds: [RegisteredJobKind], settings: JobSettings) {
        self.writer = writer
        self.kinds = Dictionary(kinds.map { ($0.name, $0) }) { first, _ in first }
        self.settings = settings
    }

    // MARK: - Any thread

    /// Puts jobs a crash left `running` back in the queue, then starts ticking; returns how many were requeued.
    @discardableResult
    func start() throws -> Int {
        let now = Timestamp.currentMilliseconds()
        let requeued = try writer.write { database in try JobStore.requeueInterrupted(at: now, in: database) }
        wake()
        return requeued
    }

    /// Encodes a job of `kind`, before the write that queues it (so the writer's thread does not encode).
    func prepare<Kind: JobKind>(_ kind: Kind.Type, _ payload: Kind.Payload) throws -> NewJob {
        NewJob(kind: Kind.name, payload: String(decoding: try JSONStreamEncoder().encode(payload), as: UTF8.self))
    }

    /// Queues `job` inside the caller's write transaction; call `wake()` once it has committed.
    func enqueue(_ job: NewJob, in database: Database) throws -> Int64 {
        try JobStore.enqueue(kind: job.kind, payload: job.payload, maxAttempts: settings.maxAttempts, at: Timestamp.currentMilliseconds(), in: database)
    }

    /// Asks for a tick soon; many calls before it runs make one tick.
    func wake() {
        guard !isStopping.load(ordering: .relaxed),
              isTickScheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        queue.async {
            self.isTickScheduled.store(false, ordering: .releasing)
            self.tick()
        }
    }

    /// Stops taking jobs, lets the batch in hand finish and records its outcomes, waiting at most
    /// `graceMilliseconds`; whatever is still running then is requeued at the next start.
    func stop(graceMilliseconds: UInt64) {
        isStopping.store(true, ordering: .relaxed)
        let done = DispatchSemaphore(value: 0)
        queue.async {
            self.commit(taking: false)
            done.signal()
        }
        _ = done.wait(timeout: .now() + .milliseconds(Int(min(graceMilliseconds, 3_600_000))))
    }

    // MARK: - The queue

    private func tick() {
        guard !isStopping.load(ordering: .relaxed) else { return }
        guard let tick = commit(taking: true) else {
            schedule(after: 100)                   // the writer failed (a lock held too long): try again shortly
            return
        }
        pendingOutcomes = tick.outside.map(run)
        if tick.outside.isEmpty && tick.inside == 0 {
            schedule(after: tick.nextDue.map { max(0, min($0 - Timestamp.currentMilliseconds(), Self.idlePollMilliseconds)) } ?? Self.idlePollMilliseconds)
        } else {
            queue.async { self.tick() }            // record these and look for more at once
        }
    }

    /// One transaction: the outcomes so far, then (if `taking`) the next batch of due jobs.
    @discardableResult
    private func commit(taking: Bool) -> Tick? {
        let outcomes = pendingOutcomes
        let settings = self.settings, kinds = self.kinds, isolates = isolatesEffects
        ticks += 1
        let prune = settings.retentionMilliseconds > 0 && ticks % Self.pruneEveryTicks == 0
        let now = Timestamp.currentMilliseconds()
        do {
            let tick = try writer.write { database -> Tick in
                var tick = Tick()
                tick.recorded = try outcomes.map { try Self.record($0, at: now, settings: settings, isolating: isolates, in: database) }
                if prune { _ = try JobStore.pruneSucceeded(before: now - settings.retentionMilliseconds, limit: 1000, in: database) }
                guard taking else { return tick }
                let due = try JobStore.due(at: now, limit: settings.batchSize, in: database)
                for var job in due {
                    job.attempts += 1
                    if let kind = kinds[job.kind], kind.isTransactional {
                        tick.recorded.append(try Self.record(Self.run(job, kind), at: now, settings: settings, isolating: isolates, in: database))
                        tick.inside += 1
                    } else {
                        try JobStore.markRunning(job.id, attempts: job.attempts, at: now, in: database)
                        tick.outside.append(job)
                    }
                }
                if due.isEmpty { tick.nextDue = try JobStore.nextDue(in: database) }
                return tick
            }
            pendingOutcomes = []
            isolatesEffects = false
            metrics.countStarted(tick.inside + tick.outside.count)
            for recorded in tick.recorded { count(recorded) }
            return tick
        } catch is EffectFailed {
            isolatesEffects = true
            return commit(taking: taking)
        } catch {
            return nil                             // outcomes stay pending; the jobs stay `running` meanwhile
        }
    }

    private func run(_ job: JobRecord) -> Outcome {
        Self.run(job, kinds[job.kind])
    }

    private static func run(_ job: JobRecord, _ kind: RegisteredJobKind?) -> Outcome {
        guard let kind else { return .failed(job, "no job kind named '\(job.kind)' in this binary") }
        do {
            return .succeeded(job, try kind.run(job.payload, JobContext(id: job.id, attempt: job.attempts)))
        } catch {
            return .failed(job, String(describing: error))
        }
    }

    private func schedule(after milliseconds: Int64) {
        queue.asyncAfter(deadline: .now() + .milliseconds(Int(milliseconds))) { self.wake() }
    }

    private func count(_ recorded: Recorded) {
        switch recorded {
        case .succeeded: metrics.countSucceeded()
        case .retried: metrics.countRetried()
        case .dead: metrics.countDead()
        }
    }

    /// Records one outcome. A failing effect counts as a failed run; its writes are undone by the savepoint when
    /// `isolating`, else by rolling the whole tick back (`EffectFailed`) to run it again isolated.
    private static func record(_ outcome: Outcome, at now: Int64, settings: JobSettings, isolating: Bool,
                               in database: Database) throws -> Recorded {
        switch outcome {
        case .succeeded(let job, let effect):
            do {
                if let effect {
                    if isolating { try database.savepoint { database in try effect(database) } } else { try effect(database) }
                }
                try JobStore.finish(job.id, attempts: job.attempts, at: now, keep: settings.retentionMilliseconds > 0, in: database)
                return .succeeded
            } catch let error as SQLiteError where !error.isConstraintViolation {
                throw error                        // the database itself failed: the whole tick is retried
            } catch {
                guard isolating else { throw EffectFailed() }
                return try fail(job, String(describing: error), at: now, settings: settings, in: database)
            }
        case .failed(let job, let error):
            return try fail(job, error, at: now, settings: settings, in: database)
        }
    }

    private static func fail(_ job: JobRecord, _ error: String, at now: Int64, settings: JobSettings, in database: Database) throws -> Recorded {
        guard job.attempts < job.maxAttempts else {
            try JobStore.markDead(job.id, attempts: job.attempts, error: error, at: now, in: database)
            return .dead
        }
        let runAt = now + backoff(afterAttempt: job.attempts, settings)
        try JobStore.retry(job.id, attempts: job.attempts, at: runAt, error: error, now: now, in: database)
        return .retried
    }

    /// base × 2^(attempt − 1), at most the maximum, times a random 50-100% so retries of many jobs spread out.
    static func backoff(afterAttempt attempt: Int, _ settings: JobSettings) -> Int64 {
        let exponential = Double(settings.backoffBaseMilliseconds) * pow(2, Double(max(0, attempt - 1)))
        let capped = min(exponential, Double(settings.backoffMaxMilliseconds))
        return Int64(capped * Double.random(in: 0.5...1.0))
    }
}
