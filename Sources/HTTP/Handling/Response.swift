public import JSON

/// A response header field.
public struct HeaderPair: Sendable, Equatable {
    /// The field name, lowercase by convention.
    public var name: String
    /// The field value.
    public var value: String

    /// A field `name: value`.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What a handler answers: a status, headers and a body that the writer frames with Content-Length; or instead
/// a protocol switch (`upgrade`), an answer that comes later (`later`) or a body written over time (`streaming`),
/// at most one of the three (setting one replaces another).
public struct Response: Sendable {
    /// The status.
    public var status: Status
    /// The Content-Type, kept apart from `headers` so the common response allocates no header array.
    public var contentType: String?
    /// Other header fields.
    public var headers: [HeaderPair]
    /// The body bytes.
    public var body: [UInt8]
    /// What makes a response other than a plain one, at most one thing; kept behind one reference, so the common
    /// response stays small and cheap to copy on its way through the middleware and the connection.
    private indirect enum Special: Sendable {
        case upgrade(any ConnectionUpgrade)
        case deferred(DeferredResponse)
        case stream(ResponseStream)
    }

    private var special: Special?

    /// Set when the response switches the connection to another protocol (101).
    public var upgrade: (any ConnectionUpgrade)? {
        get { if case .upgrade(let upgrade) = special { upgrade } else { nil } }
        set { special = newValue.map(Special.upgrade) }
    }

    /// Set when the real response comes later (see `later`); the other members are then unused.
    public var deferred: DeferredResponse? {
        get { if case .deferred(let deferred) = special { deferred } else { nil } }
        set { special = newValue.map(Special.deferred) }
    }

    /// Set when the body is written over time (see `streaming`); `body` is then unused.
    public var stream: ResponseStream? {
        get { if case .stream(let stream) = special { stream } else { nil } }
        set { special = newValue.map(Special.stream) }
    }

    /// Whether the response is only its status, headers and `body`: no upgrade, deferred answer or stream.
    public var isPlain: Bool { special == nil }

    /// A response with the given parts.
    public init(status: Status, contentType: String? = nil, headers: [HeaderPair] = [], body: [UInt8] = []) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// A response that `work` produces later, off the request path, and passes to its completion.
    ///
    /// ```swift
    /// return .later(.onWorkerPool) { complete in
    ///     complete(.json(.created, body: encode(try? makeUser())))
    /// }
    /// ```
    public static func later(_ start: DeferredResponse.Start = .onLoop, _ work: @escaping @Sendable (ResponseCompletion) -> Void) -> Response {
        var response = Response(status: .ok)
        response.deferred = DeferredResponse(start: start, work: work)
        return response
    }

    /// A response whose body `start` writes over time, from any thread, through the `Outbound` it is given once the
    /// head is on its way: sent chunked (RFC 9112 §7.1) to an HTTP/1.1 client, until the connection closes to an
    /// HTTP/1.0 one. The stream ends with `Outbound.close()`; a client that leaves closes the `Outbound`.
    ///
    /// ```swift
    /// return .streaming(.ok, contentType: "text/event-stream") { outbound in
    ///     feed.subscribe { event in outbound.send(event.bytes) }
    /// }
    /// ```
    public static func streaming(_ status: Status = .ok, contentType: String, headers: [HeaderPair] = [],
                                 queueLimit: Int = Outbound.defaultLimit,
                                 _ start: @escaping @Sendable (Outbound) -> Void) -> Response {
        var response = Response(status: status, contentType: contentType, headers: headers)
        response.stream = ResponseStream(queueLimit: queueLimit, start: start)
        return response
    }

    /// A JSON response whose body is already serialized.
    public static func json(_ status: Status = .ok, body: [UInt8]) -> Response {
        Response(status: status, contentType: "application/json", body: body)
    }

    /// A JSON response serializing `value`.
    public static func json(_ status: Status = .ok, _ value: JSONValue) -> Response {
        json(status, body: value.serialized())
    }

    /// FastAPI's error shape, `{"detail": "..."}`.
    public static func detail(_ status: Status, _ message: String, headers: [HeaderPair] = []) -> Response {
        var writer = JSONWriter(capacity: message.utf8.count + 16)
        writer.beginObject()
        writer.key("detail")
        writer.writeString(message)
        writer.endObject()
        var response = json(status, body: writer.bytes)
        response.headers = headers
        return response
    }
}

/// A protocol the connection switches to after a 101 response (WebSocket).
public protocol ConnectionUpgrade: Sendable {
    /// Creates the per-connection handler of the new protocol; it then receives every byte the client sends.
    func makeSession() -> any UpgradedSession
    /// The most bytes the session's `Outbound` lets wait.
    var queueLimit: Int { get }
    /// How long the client may be silent before the session probes it (`UpgradedSession.probe`).
    var idleMilliseconds: UInt64 { get }
    /// How long a probe waits for anything from the client before the connection closes.
    var probeMilliseconds: UInt64 { get }
}

extension ConnectionUpgrade {
    public var queueLimit: Int { Outbound.defaultLimit }
    public var idleMilliseconds: UInt64 { 60_000 }
    public var probeMilliseconds: UInt64 { 0 }
}

/// The loop-owned state of an upgraded connection.
public protocol UpgradedSession: AnyObject {
    /// Consumes bytes from the client and appends bytes to send to `output`; returns `false` to close.
    func receive(_ bytes: UnsafeRawBufferPointer, output: inout [UInt8]) -> Bool

    /// Called once, on the loop, right after the switch: `outbound` writes to the client from any thread, without
    /// waiting for it to send anything (bytes already framed for the new protocol).
    func opened(_ outbound: Outbound)

    /// The server is shutting down: appends to `output` what the protocol says before the connection closes.
    func farewell(output: inout [UInt8])

    /// The client has been silent for the upgrade's `idleMilliseconds`: appends a probe that calls for an answer
    /// (WebSocket: Ping) and returns `true`, or returns `false` to close the connection.
    func probe(output: inout [UInt8]) -> Bool
}

extension UpgradedSession {
    /// By default the session only answers what it receives.
    public func opened(_ outbound: Outbound) {}

    /// By default the connection just closes.
    public func farewell(output: inout [UInt8]) {}

    /// By default a silent client is closed.
    public func probe(output: inout [UInt8]) -> Bool { false }
}
