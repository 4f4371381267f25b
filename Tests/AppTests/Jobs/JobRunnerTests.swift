import AppTestKit
import Dispatch
import Glibc
import HTTP
import Net
import Storage
import Synchronization
import Testing
import TestKit
@testable import App

/// Durable jobs (issue 8, must show 2): retries with growing delays, dead jobs with their error, and a retry
/// from the command line.
@Suite(.serialized) struct JobRunnerTests {
    /// Fails its first `failures` runs, then succeeds; records when each run started.
    struct Flaky: JobKind {
        struct Payload: Codable, Sendable { let failures: Int }
        static let name = "test.flaky"
        let runs: Runs
        var isTransactional: Bool { false }      // it records its runs outside the database

        func perform(_ payload: Payload, _ job: JobContext) throws -> JobEffect? {
            let count = runs.record(job)
            if count <= payload.failures { throw TestFailure(attempt: count) }
            return nil
        }
    }

    /// Every run fails.
    struct Broken: JobKind {
        struct Payload: Codable, Sendable {}
        static let name = "test.broken"
        let runs: Runs
        var isTransactional: Bool { false }

        func perform(_ payload: Payload, _ job: JobContext) throws -> JobEffect? {
            throw TestFailure(attempt: runs.record(job))
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        let attempt: Int
        var description: String { "failed on purpose, run \(attempt)" }
    }

    /// The start times of runs (Unix milliseconds of `time`) and the attempt numbers the runner gave them.
    final class Runs: Sendable {
        private let state = Mutex<[(time: Int64, attempt: Int)]>([])
        private let time: any TimeSource

        init(time: any TimeSource = SystemTime()) {
            self.time = time
        }

        func record(_ job: JobContext) -> Int {
            state.withLock { runs in
                runs.append((time.wallMilliseconds(), job.attempt))
                return runs.count
            }
        }
        var all: [(time: Int64, attempt: Int)] { state.withLock { $0 } }
    }

    private static func config() -> Config {
        var config = LiveServer.testDefaults
        config.jobs.backoffBaseMilliseconds = 80
        config.jobs.maxAttempts = 3
        config.jobs.retentionMilliseconds = 3_600_000      // keep succeeded jobs, to look at them
        return config
    }

    private static func enqueue<Kind: JobKind>(_ kind: Kind.Type, _ payload: Kind.Payload, on application: Application) throws -> Int64 {
        let jobs = application.services.jobs, job = try jobs.prepare(kind, payload)
        let id = try application.services.store.write { transaction in try jobs.enqueue(job, in: transaction) }
        jobs.wake()
        return id
    }

    /// Job `id` as loop 0's connection reads it (no server runs: no loop uses it).
    private static func job(_ id: Int64, in application: Application) throws -> JobRecord? {
        try application.services.store.read(on: 0) { try $0.jobs.list(state: nil, limit: 100) }.first { $0.id == id }
    }

    private static func waitFor(_ state: JobRecord.State, job id: Int64, in application: Application, seconds: Double = 10) throws -> JobRecord? {
        let deadline = TestClient.now() + seconds
        while TestClient.now() < deadline {
            if let job = try job(id, in: application), job.state == state { return job }
            usleep(10_000)
        }
        return try job(id, in: application)
    }

    /// On a manual clock: each failed run puts the job back until its backoff is over, the runner sets its timer for
    /// exactly then, and the job runs again when (and only when) the clock gets there.
    @Test(.timeLimit(.minutes(3)))
    func aJobThatFailsTwiceIsRetriedWithGrowingDelaysAndSucceeds() throws {
        let time = ManualTime(), config = Self.config(), runs = Runs(time: time)
        let application = try Application(config: config, extraJobKinds: [RegisteredJobKind(Flaky(runs: runs))], time: time)
        defer { application.close() }
        let id = try Self.enqueue(Flaky.self, Flaky.Payload(failures: 2), on: application)
        var delays: [Int64] = []
        for attempt in 1...2 {
            let waiting = try #require(try Self.waitUntil { () -> JobRecord? in
                guard let job = try Self.job(id, in: application), job.state == .queued, job.attempts == attempt,
                      time.nextTimer == job.runAt else { return nil }
                return job                         // failed, recorded, and the runner's timer is set for when it is due
            }, "attempt \(attempt) fails and is queued again")
            #expect(runs.all.count == attempt, "no run before the clock reaches run_at")
            delays.append(waiting.runAt - time.wallMilliseconds())
            time.advance(milliseconds: waiting.runAt - time.wallMilliseconds())
        }
        let finished = try Self.waitFor(.succeeded, job: id, in: application)
        #expect(finished?.attempts == 3)
        #expect(finished?.lastError == nil, "a success clears the error")
        #expect(runs.all.map(\.attempt) == [1, 2, 3])
        // Backoff 80 ms × 2^(n-1), times 50-100% jitter: 40-80 ms, then 80-160 ms; each run starts at its run_at.
        #expect((40...80).contains(delays[0]) && (80...160).contains(delays[1]), "delays \(delays)")
        let started = runs.all.map(\.time)
        #expect(zip(started.dropFirst(), started).map { $0 - $1 } == delays)
    }

    /// What `probe` returns first that is not nil, polling for up to 10 s of real time.
    private static func waitUntil<T>(_ probe: () throws -> T?) throws -> T? {
        let deadline = TestClient.now() + 10
        while TestClient.now() < deadline {
            if let found = try probe() { return found }
            usleep(1_000)
        }
        return try probe()
    }

    @Test(.timeLimit(.minutes(3)))
    func aJobThatAlwaysFailsEndsDeadAndTheCommandRunsItAgain() throws {
        let config = Self.config(), runs = Runs()
        let application = try Application(config: config, extraJobKinds: [RegisteredJobKind(Broken(runs: runs))])
        defer { application.close() }
        let id = try Self.enqueue(Broken.self, Broken.Payload(), on: application)
        let dead = try Self.waitFor(.dead, job: id, in: application)
        #expect(dead?.state == .dead)
        #expect(dead?.attempts == 3)
        #expect(dead?.lastError == "failed on purpose, run 3")

        let environment = ["API_DATABASE_PATH": config.database.path]
        let listed = try APIBinary.run(["jobs", "list", "--state", "dead"], environment: environment)
        #expect(listed.status == 0, "\(listed)")
        #expect(listed.stdout.contains("\(id)\ttest.broken\tdead\t3/3\t") && listed.stdout.contains("failed on purpose, run 3"), "\(listed)")

        let retried = try APIBinary.run(["jobs", "retry", String(id)], environment: environment)
        #expect(retried.stdout == "job \(id) queued again\n", "\(retried)")
        // The runner polls about once a second for jobs queued by another process.
        let again = try Self.waitFor(.dead, job: id, in: application, seconds: 15)
        #expect(runs.all.count == 6, "three more runs after the retry")
        #expect(again?.lastError == "failed on purpose, run 6")
    }

    /// With no retention, a succeeded job's row is deleted: the table holds only work in hand.
    @Test(.timeLimit(.minutes(3)))
    func aSucceededJobIsDeletedWithoutRetention() throws {
        var config = Self.config()
        config.jobs.retentionMilliseconds = 0
        let runs = Runs()
        let application = try Application(config: config, extraJobKinds: [RegisteredJobKind(Flaky(runs: runs))])
        defer { application.close() }
        let id = try Self.enqueue(Flaky.self, Flaky.Payload(failures: 0), on: application)
        let deadline = TestClient.now() + 10
        while TestClient.now() < deadline, try Self.job(id, in: application) != nil { usleep(10_000) }
        #expect(try Self.job(id, in: application) == nil)
        #expect(runs.all.count == 1)
    }

    /// DESIGN §3's audit job: one entry per action, written once even if the job runs again.
    @Test func theAuditJobWritesOnceUnderItsKey() throws {
        let payload = AuditJob.Payload(actor: "a@x.io", user: "b", action: "action", requestID: "r1", createdAt: "2026-12-01T00:00:00.000Z")
        let effect = try #require(try AuditJob(file: nil).perform(payload, JobContext(id: 1, attempt: 1)))
        try withSeparateStore(LiveServer.testDefaults) { store in
            try store.write(effect)
            try store.write(effect)
            #expect(try store.read(on: 0) { try $0.audit.page(before: nil, limit: 10) }.map(\.requestID) == ["r1"])
        }
    }

    /// A tick is one more write of the writer, so it shares the transaction of the writes queued before it: a job
    /// queued while the writer is busy is taken, run and recorded in the very commit that queues it.
    @Test(.timeLimit(.minutes(3)))
    func aJobQueuedBeforeATickIsDoneByTheCommitThatQueuesIt() throws {
        let config = Self.config()
        let application = try Application(config: config)
        defer { application.close() }
        let jobs = application.services.jobs, store = application.services.store
        let deadline = TestClient.now() + 10
        while !jobs.isIdle && TestClient.now() < deadline { usleep(1_000) }    // the start-up tick has ended

        let inTransaction = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        store.submit({ _ in
            inTransaction.signal()
            release.wait()
        }, completion: { _ in })
        inTransaction.wait()                       // the writer is busy: what comes next waits for one batch
        let job = try jobs.prepare(AuditJob.self, AuditJob.Payload(actor: "a@x.io", user: "b", action: "action", requestID: "same-commit",
                                                                     createdAt: "2026-12-01T00:00:00.000Z"))
        let entriesAtCommit = Mutex<[String]?>(nil), committed = DispatchSemaphore(value: 0)
        store.submit({ transaction in try jobs.enqueue(job, in: transaction) }, completion: { _ in
            // Loop 0's connection, from the writer's thread: no server runs, and the test's thread waits meanwhile.
            entriesAtCommit.withLock { $0 = try? store.read(on: 0) { try $0.audit.page(before: nil, limit: 10) }.map(\.requestID) }
            committed.signal()
        })
        jobs.wake()                                // the tick queues behind the job
        release.signal()
        committed.wait()
        #expect(entriesAtCommit.withLock { $0 } == ["same-commit"])
    }
}
