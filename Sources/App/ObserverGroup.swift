public import HTTP

/// Passes every server event to several observers, in order (access log, metrics).
public struct ObserverGroup: ServerObserver {
    private let observers: [any ServerObserver]

    /// A group of `observers`.
    public init(_ observers: [any ServerObserver]) {
        self.observers = observers
    }

    public func requestFinished(_ record: RequestRecord, loop: Int) {
        for observer in observers { observer.requestFinished(record, loop: loop) }
    }

    public func connectionChanged(opened: Bool, loop: Int) {
        for observer in observers { observer.connectionChanged(opened: opened, loop: loop) }
    }

    public func batchFinished(loop: Int) {
        for observer in observers { observer.batchFinished(loop: loop) }
    }
}
