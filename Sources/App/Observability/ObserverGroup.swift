public import HTTP

/// Passes every server event to the access log, then to the metrics when they are on. The two are held as
/// their own types, not as an array of existentials: each event is two direct calls, with no array walk
/// and no retain of each observer, on a path taken several times per request. A class, so that the server's
/// `any ServerObserver` holds one reference: a struct of two would be copied out of the existential (two
/// retains and two releases) at every call.
public final class ObserverGroup: ServerObserver {
    private let accessLog: AccessLog
    private let metrics: HTTPMetrics?

    /// A group of `accessLog` and, if on, `metrics`.
    public init(accessLog: AccessLog, metrics: HTTPMetrics?) {
        self.accessLog = accessLog
        self.metrics = metrics
    }

    public func requestFinished(_ record: RequestRecord, loop: Int) {
        accessLog.requestFinished(record, loop: loop)
        metrics?.requestFinished(record, loop: loop)
    }

    public func connectionChanged(opened: Bool, loop: Int) {
        accessLog.connectionChanged(opened: opened, loop: loop)
        metrics?.connectionChanged(opened: opened, loop: loop)
    }

    public func batchFinished(loop: Int) {
        accessLog.batchFinished(loop: loop)
        metrics?.batchFinished(loop: loop)
    }
}
