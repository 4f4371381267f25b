import Dispatch
import Glibc
import JSON
import Net
import Synchronization

/// Runs durable background jobs (issue 8) off the event loops.
///
/// Each tick is one write of the database writer, submitted like any other, so it shares the writer's transaction
/// (group commit) with the writes queued before it. It records the outcomes of the jobs run since the last tick,
/// then takes the next batch of due jobs from the queue, including those queued earlier in its own transaction.
/// Jobs of transactional kinds (`JobKind`) run right there, so queueing, taking, running and recording them can be
/// a single commit; the others are marked `running` and run on a serial dispatch queue after the commit, outside
/// any transaction, and their outcomes go into the next tick. One tick is in flight at a time; a wake while one
/// is asks for the next as soon as it has committed, which is then queued behind the writes that arrived meanwhile.
/// A steady stream of jobs thus costs no commit of its own, and a crash loses nothing: an uncommitted tick leaves
/// its jobs queued, and jobs left `running` go back to the queue at the next start. Failed runs are retried with
/// exponential backoff and jitter, up to `jobs.max_attempts`; then the job is `dead` with its last error.
final class JobRunner: Sendable {
    /// A job encoded for the queue, to be inserted inside a write transaction.
    struct NewJob: Sendable {
        let kind: String
        let payload: String
    }

    private enum Outcome: Sendable {
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

    /// What one tick is given to do.
    private struct TickRequest: Sendable {
        let outcomes: [Outcome]
        let isolatesEffects: Bool
        let prunes: Bool
        /// False for the last tick, at stop: it only records.
        let takesJobs: Bool
    }

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

    /// The runner's bookkeeping, shared by the threads that wake it, the writer's completions and `queue`.
    private struct State {
        /// Outcomes of jobs run outside a transaction, for the next tick to record.
        var pendingOutcomes: [Outcome] = []
        /// Whether the next tick runs effects in savepoints: only after an effect failed.
        var isolatesEffects = false
        var ticks = 0
        /// A tick is submitted, or its outside jobs are running.
        var isTicking = false
        /// A wake came while ticking: tick again once this one ends.
        var isWanted = false
        /// Set by `stop`: called once the last tick has committed.
        var onStopped: (@Sendable () -> Void)?
        /// Names the one poll timer that may still wake the runner: each tick's start moves it on, so a timer
        /// set by an earlier tick fires into nothing instead of starting a second chain of polls (issue 14).
        var pollGeneration: UInt64 = 0
    }

    private let store: any DataStore
    private let kinds: [String: RegisteredJobKind]
    private let settings: JobSettings
    /// Other tables' retention, run by the pruning ticks.
    private let pruning: @Sendable (any Transaction, Int64) throws -> Void
    private let time: any TimeSource
    let metrics = JobMetrics()
    /// Runs the jobs of kinds that are not transactional.
    private let queue = DispatchQueue(label: "jobs")
    private let state = Mutex(State())
    private let isStopping = Atomic<Bool>(false)
    private static let idlePollMilliseconds: Int64 = 1_000
    private static let pruneEveryTicks = 100

    /// A runner of `kinds` that writes through `store`; when jobs fall due, and its poll timers, follow `time`.
    /// A runner whose pruning ticks also run `pruning` (other tables' retention) in their transaction, with the time.
    init(store: any DataStore, kinds: [RegisteredJobKind], settings: JobSettings, time: any TimeSource,
         pruning: @escaping @Sendable (any Transaction, Int64) throws -> Void = { _, _ in }) {
        self.time = time
        self.store = store
        self.pruning = pruning
        self.kinds = Dictionary(kinds.map { ($0.name, $0) }) { first, _ in first }
        self.settings = settings
    }

    // MARK: - Any thread

    /// Puts jobs a crash left `running` back in the queue, then starts ticking; returns how many were requeued.
    @discardableResult
    func start() throws -> Int {
        let now = time.wallMilliseconds()
        let requeued = try store.write { transaction in try transaction.jobs.requeueInterrupted(at: now) }
        wake()
        return requeued
    }

    /// Encodes a job of `kind`, before the write that queues it (so the writer's thread does not encode).
    func prepare<Kind: JobKind>(_ kind: Kind.Type, _ payload: Kind.Payload) throws -> NewJob {
        NewJob(kind: Kind.name, payload: String(decoding: try JSONStreamEncoder().encode(payload), as: UTF8.self))
    }

    /// Queues `job` inside the caller's write transaction; call `wake()` once it has committed.
    func enqueue(_ job: NewJob, in transaction: any Transaction) throws -> Int64 {
        try transaction.jobs.enqueue(kind: job.kind, payload: job.payload, maxAttempts: settings.maxAttempts, at: time.wallMilliseconds())
    }

    /// Asks for a tick soon; wakes while one is in flight make one more tick after it.
    func wake() {
        wake(poll: nil)
    }

    /// A wake, or with `poll` the firing of the poll timer of that generation, which does nothing if a tick
    /// started since it was set (that tick set its own).
    private func wake(poll generation: UInt64?) {
        guard !isStopping.load(ordering: .relaxed) else { return }
        let request = state.withLock { state -> TickRequest? in
            if let generation, generation != state.pollGeneration { return nil }
            guard !state.isTicking else {
                state.isWanted = true
                return nil
            }
            state.isWanted = false
            state.ticks += 1
            return Self.beginTick(in: &state, prunes: state.ticks % Self.pruneEveryTicks == 0,
                                  takesJobs: true)
        }
        if let request { submit(request) }
    }

    /// Stops taking jobs, lets the batch in hand finish and records its outcomes, waiting at most
    /// `graceMilliseconds`; whatever is still running then is requeued at the next start.
    func stop(graceMilliseconds: UInt64) {
        isStopping.store(true, ordering: .relaxed)
        let done = DispatchSemaphore(value: 0)
        let request = state.withLock { state -> TickRequest? in
            state.onStopped = { done.signal() }
            guard !state.isTicking else { return nil }   // the tick in flight submits the last one as it ends
            return Self.beginTick(in: &state, prunes: false, takesJobs: false)
        }
        if let request { submit(request) }
        _ = done.wait(timeout: .now() + .milliseconds(Int(min(graceMilliseconds, 3_600_000))))
    }

    /// Whether no tick is in flight (for tests that need the runner at rest).
    var isIdle: Bool { state.withLock { !$0.isTicking } }

    // MARK: - Ticks

    /// Marks a tick in flight and hands it what the last ones left: the outcomes to record, and whether to isolate.
    private static func beginTick(in state: inout State, prunes: Bool, takesJobs: Bool) -> TickRequest {
        state.isTicking = true
        state.pollGeneration &+= 1
        defer {
            state.pendingOutcomes = []
            state.isolatesEffects = false
        }
        return TickRequest(outcomes: state.pendingOutcomes, isolatesEffects: state.isolatesEffects, prunes: prunes, takesJobs: takesJobs)
    }

    private func submit(_ request: TickRequest) {
        let settings = self.settings, kinds = self.kinds, time = self.time, pruning = self.pruning
        store.submit({ transaction in
            try Self.tick(request, settings: settings, kinds: kinds, time: time, pruning: pruning, in: transaction)
        }) { result in
            self.committed(result, request)
        }
    }

    /// The tick's transaction: the outcomes so far, then (if it takes jobs) the next batch of due jobs.
    private static func tick(_ request: TickRequest, settings: JobSettings, kinds: [String: RegisteredJobKind], time: any TimeSource,
                             pruning: (any Transaction, Int64) throws -> Void, in transaction: any Transaction) throws -> Tick {
        let now = time.wallMilliseconds()    // here, after the writes before it: the jobs they queued are due
        var tick = Tick()
        tick.recorded = try request.outcomes.map {
            try record($0, at: now, settings: settings, isolating: request.isolatesEffects, in: transaction)
        }
        let queue = transaction.jobs
        if request.prunes {
            _ = try queue.requeueAbandoned(at: now)
            if settings.retentionMilliseconds > 0 { _ = try queue.pruneSucceeded(before: now - settings.retentionMilliseconds, limit: 1000) }
            try pruning(transaction, now)
        }
        guard request.takesJobs else { return tick }
        let due = try queue.due(at: now, limit: settings.batchSize)
        for var job in due {
            job.attempts += 1
            if let kind = kinds[job.kind], kind.isTransactional {
                tick.recorded.append(try record(run(job, kind), at: now, settings: settings, isolating: request.isolatesEffects,
                                                in: transaction))
                tick.inside += 1
            } else {
                try queue.markRunning(job.id, attempts: job.attempts, at: now)
                tick.outside.append(job)
            }
        }
        if due.isEmpty { tick.nextDue = try queue.nextDue() }
        return tick
    }

    /// After the tick's commit, on the writer's thread: counts what it did, runs its outside jobs on `queue`.
    private func committed(_ result: Result<Tick, any Error>, _ request: TickRequest) {
        let tick: Tick
        switch result {
        case .success(let committed): tick = committed
        case .failure(let error): return failed(request, effectFailed: error is EffectFailed)
        }
        metrics.countStarted(tick.inside + tick.outside.count)
        for recorded in tick.recorded { count(recorded) }
        guard !tick.outside.isEmpty else {
            let idle = tick.nextDue.map { max(0, min($0 - time.wallMilliseconds(), Self.idlePollMilliseconds)) } ?? Self.idlePollMilliseconds
            return endTick(request, next: tick.inside > 0 ? 0 : idle)
        }
        queue.async {
            let outcomes = tick.outside.map(self.run)
            self.state.withLock { $0.pendingOutcomes += outcomes }
            self.endTick(request, next: 0)               // record them and look for more at once
        }
    }

    /// Nothing of the tick was committed: its outcomes wait for the next one (the jobs stay `running` meanwhile),
    /// which runs at once with effects isolated when one failed, and shortly when the writer failed (a lock held
    /// too long by another process). That next tick takes every due job, so it also serves the wakes that came
    /// meanwhile (and a writer that fails at once cannot make wakes and failures call each other without end).
    private func failed(_ request: TickRequest, effectFailed: Bool) {
        state.withLock { state in
            state.pendingOutcomes = request.outcomes + state.pendingOutcomes
            state.isolatesEffects = effectFailed || request.isolatesEffects
            state.isWanted = false
        }
        endTick(request, next: effectFailed ? 0 : 100)
    }

    /// Ends a tick: the next one in `next` milliseconds (at once if a wake came meanwhile), or the last one at stop.
    private func endTick(_ request: TickRequest, next milliseconds: Int64) {
        let (onStopped, last, isWanted, generation) = state.withLock { state -> ((@Sendable () -> Void)?, TickRequest?, Bool, UInt64) in
            state.isTicking = false
            guard let onStopped = state.onStopped else { return (nil, nil, state.isWanted, state.pollGeneration) }
            guard request.takesJobs else { return (onStopped, nil, false, 0) }
            return (nil, Self.beginTick(in: &state, prunes: false, takesJobs: false), false, 0)
        }
        if let onStopped { return onStopped() }
        if let last { return submit(last) }
        if isWanted || milliseconds == 0 {
            wake()
        } else {
            time.after(milliseconds: milliseconds) { self.wake(poll: generation) }
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
                               in transaction: any Transaction) throws -> Recorded {
        switch outcome {
        case .succeeded(let job, let effect):
            do {
                if let effect {
                    if isolating { try transaction.isolated { try effect(transaction) } } else { try effect(transaction) }
                }
                try transaction.jobs.finish(job.id, attempts: job.attempts, at: now, keep: settings.retentionMilliseconds > 0)
                return .succeeded
            } catch let error where error.storeError.map({ !$0.isConstraintViolation }) ?? false {
                throw error                        // the database itself failed: the whole tick is retried
            } catch {
                guard isolating else { throw EffectFailed() }
                return try fail(job, String(describing: error), at: now, settings: settings, in: transaction)
            }
        case .failed(let job, let error):
            return try fail(job, error, at: now, settings: settings, in: transaction)
        }
    }

    private static func fail(_ job: JobRecord, _ error: String, at now: Int64, settings: JobSettings,
                             in transaction: any Transaction) throws -> Recorded {
        guard job.attempts < job.maxAttempts else {
            try transaction.jobs.markDead(job.id, attempts: job.attempts, error: error, at: now)
            return .dead
        }
        let runAt = now + backoff(afterAttempt: job.attempts, settings)
        try transaction.jobs.retry(job.id, attempts: job.attempts, at: runAt, error: error, now: now)
        return .retried
    }

    /// base × 2^(attempt − 1), at most the maximum, times a random 50-100% so retries of many jobs spread out.
    static func backoff(afterAttempt attempt: Int, _ settings: JobSettings) -> Int64 {
        let exponential = Double(settings.backoffBaseMilliseconds) * pow(2, Double(max(0, attempt - 1)))
        let capped = min(exponential, Double(settings.backoffMaxMilliseconds))
        return Int64(capped * Double.random(in: 0.5...1.0))
    }
}
