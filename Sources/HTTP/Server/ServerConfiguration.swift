/// Everything the HTTP server needs to know to listen and to bound each client.
public struct ServerConfiguration: Sendable, Equatable {
    /// Address to listen on.
    public var host = "127.0.0.1"
    /// Port to listen on; 0 picks a free one (tests).
    public var port = 8000
    /// Event loops (threads), each with its own SO_REUSEPORT listener.
    public var workers = 1
    /// listen(2) backlog per listener.
    public var backlog: Int32 = 1024
    /// Open connections across all loops; past it a new connection gets 503 and is closed.
    public var maxConnections = 10_000
    /// Request size limits.
    public var limits = ParserLimits()
    /// From the first byte of a request to the end of its head; then 408 and close.
    public var headTimeoutMilliseconds: UInt64 = 10_000
    /// Longest silence while a body is being read or a response written; then 408 (or close).
    public var bodyIdleTimeoutMilliseconds: UInt64 = 10_000
    /// Longest silence between requests on a kept-alive connection; then it is closed quietly.
    public var keepAliveTimeoutMilliseconds: UInt64 = 5_000
    /// Threads of the worker pool that runs `DeferredResponse.Start.onWorkerPool` work (password hashing).
    public var workerThreads = 1
    /// Jobs that may wait for a worker thread; past it a deferred request is answered 503 with `Retry-After`.
    public var workerQueueCapacity = 256
    /// Peers whose `X-Forwarded-For` names the client (`ClientAddress`); everyone else is its own client.
    public var trustedProxies: [String] = []
    /// After a signal, how long in-flight requests get to finish.
    public var shutdownGraceMilliseconds: UInt64 = 10_000

    /// The defaults above.
    public init() {}
}
