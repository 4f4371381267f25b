/// A row of `jobs`: one unit of durable background work.
struct JobRecord: Sendable, Equatable {
    /// Where a job is in its life.
    enum State: String, Sendable, CaseIterable {
        case queued, running, succeeded, dead
    }

    let id: Int64
    let kind: String
    /// The payload as JSON text.
    let payload: String
    var state: State
    /// Runs started so far (including the one in progress when `running`).
    var attempts: Int
    let maxAttempts: Int
    /// Unix milliseconds before which it does not run.
    var runAt: Int64
    var lastError: String?
    let createdAt: Int64
}
