/// A kind of durable background job: a name stored with each job, a typed payload, and the work. New
/// features (emails, webhooks) add a kind, not a mechanism.
///
/// Jobs run at least once: a crash between the work and its commit runs it again. So `perform` does what
/// must happen outside the database in a way that tolerates being repeated (keyed by `JobContext.id`), and
/// returns the database writes that record the job's effect, which are committed in the same transaction that
/// marks the job succeeded, so they happen exactly once.
///
/// A kind whose every effect is in its `JobEffect` (it touches nothing outside the database, and `perform` is
/// quick) says so with `isTransactional`: its jobs then run inside the transaction that takes them from the
/// queue, so taking, running and recording a job is one commit, and a crash cannot leave it half done.
protocol JobKind: Sendable {
    associatedtype Payload: Codable & Sendable
    /// The name stored in `jobs.kind`.
    static var name: String { get }
    /// Whether `perform` only computes: no effect outside its `JobEffect`, nothing slow (see above).
    var isTransactional: Bool { get }
    /// Does the work of one run; throws to fail this attempt (it is retried with backoff, then dead).
    func perform(_ payload: Payload, _ job: JobContext) throws -> JobEffect?
}

/// What a running job knows about itself.
struct JobContext: Sendable {
    /// The job's id, also its idempotency key: the same on every run of this job, never reused.
    let id: Int64
    /// 1 for the first run.
    let attempt: Int
}

/// Writes that record a job's effect, run inside the transaction that marks it succeeded.
typealias JobEffect = @Sendable (any Transaction) throws -> Void
