/// What to load, how hard and for how long: everything `api bench` was asked for, checked by `validate()`.
public struct BenchConfiguration: Sendable {
    /// When a run ends.
    public enum Length: Equatable, Sendable {
        /// After this many nanoseconds.
        case duration(nanoseconds: UInt64)
        /// After this many requests have been answered or have failed.
        case requests(Int)
    }

    /// The target.
    public var url: BenchURL
    /// Keep-alive connections, spread over the threads.
    public var connections = 10
    /// Threads, each running its own event loop.
    public var threads = 2
    /// When to stop.
    public var length = Length.duration(nanoseconds: 10_000_000_000)
    /// Requests per second over all connections for an open-loop run; nil for closed loop (each connection
    /// sends its next request as soon as the previous one is answered).
    public var rate: Double?
    /// The request method token.
    public var method = "GET"
    /// Extra header lines, each `Name: value`; a `Host` here replaces the one taken from the URL.
    public var headers: [String] = []
    /// The request body, sent with a Content-Length.
    public var body: [UInt8] = []
    /// How long a request may go unanswered before it counts as a timeout and its connection is replaced.
    public var timeoutNanoseconds: UInt64 = 2_000_000_000

    /// A configuration with wrk's defaults (10 connections, 2 threads, 10 s, 2 s timeout) for `url`.
    public init(url: BenchURL) {
        self.url = url
    }

    /// Throws `.usage` naming the first value that cannot work.
    public func validate() throws(BenchError) {
        guard connections >= 1 else { throw .usage("-c must be at least 1 connection") }
        guard threads >= 1 else { throw .usage("-t must be at least 1 thread") }
        guard threads <= connections else { throw .usage("-t (\(threads)) must not exceed -c (\(connections)): each thread needs a connection") }
        if case .requests(let count) = length, count < 1 { throw .usage("-n must be at least 1 request") }
        if let rate, !(rate > 0 && rate.isFinite) { throw .usage("--rate must be a positive number of requests per second") }
        guard !method.isEmpty, method.utf8.allSatisfy(Self.isToken) else { throw .usage("-m '\(method)' is not a valid method token") }
        for line in headers where Self.splitHeader(line) == nil {
            throw .usage("-H '\(line)' is not a header line; write it as 'Name: value'")
        }
    }

    /// The request every connection sends, built once: request line, Host, the extra headers, Content-Length, body.
    func requestBytes() -> [UInt8] {
        var text = Self.head(method, url.target, authority: url.authority, headers: headers)
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + body
    }

    /// A request head without its closing blank line: the request line, `Host: authority` unless `headers` has a
    /// Host, `defaults` whose names `headers` does not give, then `headers` (checked lines).
    static func head(_ method: String, _ target: String, authority: String, headers: [String], defaults: [String] = []) -> String {
        var text = "\(method) \(target) HTTP/1.1\r\n"
        let fields = headers.compactMap(splitHeader)
        let given = Set(fields.map { $0.name.lowercased() })
        if !given.contains("host") { text += "Host: \(authority)\r\n" }
        for line in defaults where !given.contains(line.prefix { $0 != ":" }.lowercased()) { text += line + "\r\n" }
        for field in fields { text += "\(field.name): \(field.value)\r\n" }
        return text
    }

    /// `true` when responses have no body whatever their headers say (RFC 9112 §6.3).
    var isHEAD: Bool { method == "HEAD" }

    /// `Name: value` split, or nil when `line` is not a valid header line.
    static func splitHeader(_ line: String) -> (name: Substring, value: Substring)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon]
        let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        guard !name.isEmpty, name.utf8.allSatisfy(isToken),
              value.utf8.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else { return nil }
        return (name, value)
    }

    /// RFC 9110 §5.6.2 `tchar`.
    private static func isToken(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
