import Synchronization

/// Delivers the response of a `DeferredResponse`; callable from any thread, and only the first call counts.
///
/// The work answers with a response, or fails with an error, which the router turns into a response exactly as it
/// does for a handler that throws (`Router.response(for:context:)`); either way the middleware finish it. A
/// completion dropped without being called answers 500, so a bug in deferred work can never leave a client
/// waiting forever.
public final class ResponseCompletion: Sendable {
    private let deliver: @Sendable (Result<Response, any Error>) -> Void
    private let isDone = Atomic<Bool>(false)

    /// A completion that hands the outcome to `deliver` (which takes it back to the connection's loop).
    public init(_ deliver: @escaping @Sendable (Result<Response, any Error>) -> Void) {
        self.deliver = deliver
    }

    deinit {
        if !isDone.load(ordering: .acquiring) { deliver(.failure(DroppedCompletion())) }
    }

    /// Answers with `response`. Later calls are ignored.
    public func callAsFunction(_ response: Response) {
        complete(.success(response))
    }

    /// Answers with the response for `error`, as if the handler had thrown it. Later calls are ignored.
    public func fail(_ error: any Error) {
        complete(.failure(error))
    }

    /// Answers with `outcome`: a response, or an error to answer for. Later calls are ignored.
    public func complete(_ outcome: Result<Response, any Error>) {
        guard isDone.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        deliver(outcome)
    }
}

/// The failure logged when deferred work dropped its completion without answering: a bug in that work.
public struct DroppedCompletion: Error, CustomStringConvertible {
    /// What happened.
    public var description: String { "deferred work ended without answering" }
}
