/// What `api bench --realtime` was asked for: subscribers to open, writes to drive through them, for how long;
/// checked by `validate()`. docs/bench.md ("Realtime") explains each.
public struct RealtimeConfiguration: Sendable {
    /// How subscribers listen.
    public enum Kind: String, Sendable, CaseIterable {
        /// `GET /R/events`, server-sent events.
        case sse
        /// `GET /realtime`, a WebSocket with a `subscribe` message (or the `--broadcast` path, with none).
        case websocket
        /// Half each: even-numbered subscribers use SSE, odd-numbered ones WebSocket.
        case mixed
    }

    /// The server's base URL; a path here prefixes every path the bench requests.
    public var url: BenchURL
    /// Subscribers to open and keep, spread over the threads.
    public var subscribers = 1000
    /// How the subscribers listen.
    public var kind = Kind.mixed
    /// The resource written to and subscribed to.
    public var resource = "projects"
    /// Writes per second, on a constant schedule; 0 opens and holds the subscribers without writing.
    public var rate = 200.0
    /// How long writes go on (or, at rate 0, how long the subscribers are held), in nanoseconds.
    public var durationNanoseconds: UInt64 = 10_000_000_000
    /// Threads for the subscribers, each with its own event loop; the writes have one more of their own.
    public var threads = 2
    /// Keep-alive connections the writes go over.
    public var writeConnections = 8
    /// Extra header lines for every request (subscribers' and writes'), each `Name: value`.
    public var headers: [String] = []
    /// The body of each write; `{n}` becomes the write's number and `{run}` the run's random id. nil: `defaultBody`.
    public var body: [UInt8]?
    /// The FastAPI peer's broadcast mode: subscribers open a plain WebSocket to this path and send nothing.
    public var broadcastPath: String?
    /// How long a subscriber may take to open, and a write to be answered.
    public var timeoutNanoseconds: UInt64 = 5_000_000_000
    /// After the last write is answered, how long events may still come before the missing ones count as lost.
    public var graceNanoseconds: UInt64 = 2_000_000_000

    /// The body written when none is given: unique per run and write, as the example's `projects` need
    /// (a project's name is unique per owner).
    public static let defaultBody = Array(#"{"name":"bench-{run}-{n}"}"#.utf8)

    /// Defaults for `url`: 1000 mixed subscribers to `projects`, 200 writes/s for 10 s.
    public init(url: BenchURL) {
        self.url = url
    }

    /// Throws `.usage` naming the first value that cannot work.
    public func validate() throws(BenchError) {
        guard subscribers >= 1 else { throw .usage("--subscribers must be at least 1") }
        guard threads >= 1 else { throw .usage("-t must be at least 1 thread") }
        guard threads <= subscribers else { throw .usage("-t (\(threads)) must not exceed --subscribers (\(subscribers)): each thread needs a subscriber") }
        guard writeConnections >= 1 else { throw .usage("-c must be at least 1 write connection") }
        guard rate >= 0 && rate.isFinite else { throw .usage("--rate must be a number of writes per second, 0 or more") }
        guard !resource.isEmpty, resource.utf8.allSatisfy(Self.isNameByte) else {
            throw .usage("--resource '\(resource)' is not a resource name (letters, digits, '_' and '-')")
        }
        guard !url.target.contains("?") else { throw .usage("the URL of --realtime is the server's base, without a query") }
        if let broadcastPath {
            guard broadcastPath.hasPrefix("/"), broadcastPath.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") }) else {
                throw .usage("--broadcast '\(broadcastPath)' must be a path starting with '/'")
            }
            guard kind == .websocket else { throw .usage("--broadcast subscribers are WebSocket ones; drop --kind \(kind.rawValue)") }
        }
        for line in headers where BenchConfiguration.splitHeader(line) == nil {
            throw .usage("-H '\(line)' is not a header line; write it as 'Name: value'")
        }
    }

    /// The kind of subscriber `number` (over all threads).
    func kind(ofSubscriber number: Int) -> Kind {
        kind == .mixed ? (number % 2 == 0 ? .sse : .websocket) : kind
    }

    /// `path` under the URL's path, which `api` behind a proxy may have.
    func path(_ path: String) -> String {
        (url.target.hasSuffix("/") ? String(url.target.dropLast()) : url.target) + path
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"): true
        default: false
        }
    }
}
