import Synchronization

/// Delivers the response of a `DeferredResponse`; callable from any thread, and only the first call counts.
///
/// A completion dropped without being called answers 500, so a bug in deferred work can never leave a
/// client waiting forever.
public final class ResponseCompletion: Sendable {
    private let deliver: @Sendable (Response, (any Error)?) -> Void
    private let isDone = Atomic<Bool>(false)

    /// A completion that hands the response, and the error behind a 500 if any, to `deliver` (which takes
    /// them back to the connection's loop).
    public init(_ deliver: @escaping @Sendable (Response, (any Error)?) -> Void) {
        self.deliver = deliver
    }

    deinit {
        if !isDone.load(ordering: .acquiring) {
            deliver(.detail(.internalServerError, "Internal Server Error"), DroppedCompletion())
        }
    }

    /// Answers with `response`; `failure` is the error behind a 500, for the log (never the client).
    /// Later calls are ignored.
    public func callAsFunction(_ response: Response, failure: (any Error)? = nil) {
        guard isDone.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        deliver(response, failure)
    }
}

/// The failure logged when deferred work dropped its completion without answering: a bug in that work.
public struct DroppedCompletion: Error, CustomStringConvertible {
    /// What happened.
    public var description: String { "deferred work ended without answering" }
}
