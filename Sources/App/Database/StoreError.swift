/// A failure of the storage engine, in the words every engine shares; an engine's own errors say which one they
/// are (`EngineFailure`), so App decides on these and never names an engine's error type.
enum StoreError: Error, Equatable, Sendable {
    /// Another process held a lock past the busy timeout: worth a retry, not a bug.
    case busy
    /// A unique key (or primary key) is taken.
    case uniqueViolation
    /// Another constraint refused the write (`CHECK`, `NOT NULL`, a foreign key).
    case constraintViolation
    /// The engine itself failed (I/O, a full disk, a closed writer).
    case failed
    /// The database server is unreachable (down, restarting, cut off) or did not answer in time: worth a retry later.
    case unavailable

    /// Whether the data refused the write, rather than the engine failing.
    var isConstraintViolation: Bool { self == .uniqueViolation || self == .constraintViolation }
}

/// An engine's error that says which `StoreError` it is.
protocol EngineFailure: Error {
    /// What the failure means to App. (Not named `storeError`: `any EngineFailure` is an `Error` too, and the
    /// extension's `storeError` would call itself.)
    var meaning: StoreError { get }
}

extension Error {
    /// What this error means as a storage failure, or nil when it did not come from the engine.
    var storeError: StoreError? {
        (self as? StoreError) ?? (self as? any EngineFailure)?.meaning
    }
}
