/// What the server reports about each answered request, for the access log and metrics.
public struct RequestRecord: Sendable {
    /// The method as parsed; nil when the request line could not be read.
    public var parsedMethod: Method?
    /// The path as sent (without the query), or "-".
    public var path: String
    /// The route template that matched, or nil.
    public var route: String?
    /// `RequestContext.routeNumber`: the matched template's number, or nil.
    public var routeNumber: Int?
    /// The status answered.
    public var status: Int
    /// From the first byte of the request to the response being queued, in nanoseconds.
    public var durationNanoseconds: UInt64
    /// Request bytes read (head and body).
    public var bytesIn: Int
    /// Response bytes queued.
    public var bytesOut: Int
    /// Body bytes of the request (what Content-Length declared, or the de-chunked size).
    public var requestBodyBytes: Int
    /// Body bytes of the response (its Content-Length).
    public var responseBodyBytes: Int
    /// `true` when the server refused the request before routing (parse error, limit, timeout).
    public var isRejected: Bool
    /// The request id (echoed to the client), or "-".
    public var requestID: String
    /// The client address.
    public var client: String
    /// The W3C `traceparent` the client sent, if any.
    public var traceparent: String?
    /// The error behind a 500, for the log.
    public var failure: (any Error)?

    /// The method's name, or "-" when the request line could not be read.
    public var method: String { parsedMethod?.name ?? "-" }
}

/// Receives the server's events. Calls for one loop come on that loop's thread, one at a time,
/// so an observer can keep per-loop state (indexed by `loop`) without locks.
public protocol ServerObserver: Sendable {
    /// A request was answered (including requests refused by the parser or by a timeout).
    func requestFinished(_ record: RequestRecord, loop: Int)
    /// A connection was accepted (`true`) or closed (`false`).
    func connectionChanged(opened: Bool, loop: Int)
    /// The loop finished a batch of events: a good moment to flush buffered output.
    func batchFinished(loop: Int)
}
