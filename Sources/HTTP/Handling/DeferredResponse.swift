/// A response that a handler gives later, because producing it must not block the loop: hashing a password
/// on the worker pool, or waiting for the database's writer to commit.
///
/// The connection holds the request (and reads nothing more from the client) until `work` calls its
/// `ResponseCompletion`, from any thread; the response is then written on the connection's own loop.
public struct DeferredResponse: Sendable {
    /// Where `work` runs.
    public enum Start: Sendable {
        /// On the loop, right after the handler returns: for work that hands itself to another thread.
        case onLoop
        /// On the server's worker pool, for CPU-heavy work; a full pool answers 503 with `Retry-After` instead.
        case onWorkerPool
    }

    /// Where `work` runs.
    public let start: Start
    /// Produces the response and passes it to the completion, exactly once.
    public let work: @Sendable (ResponseCompletion) -> Void
}
