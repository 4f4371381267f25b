import Glibc

/// A tiny blocking HTTP/1.1 client over a raw socket: it sends exactly the bytes a test gives it and parses
/// what comes back (Content-Length or chunked bodies, interim 1xx responses), so tests can send malformed,
/// pipelined or trickled requests that no real client would.
///
/// Every read has a deadline; nothing waits forever. Not thread-safe: one test task uses one client.
public final class TestClient {
    /// The socket.
    public let fd: Int32
    /// Received bytes not yet returned as a response.
    public private(set) var buffered: [UInt8] = []
    /// `true` once the server closed (EOF or reset).
    public private(set) var isPeerClosed = false
    private var isClosed = false

    /// Connects (blocking) to `host:port`; from `source` when given, another loopback address (127.0.0.2...),
    /// so one test can be several clients.
    public init(port: Int, host: String = "127.0.0.1", source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestKitError("socket: \(String(cString: strerror(errno)))") }
        if let source, Self.withAddress(source, port: 0, { Glibc.bind(fd, $0, $1) }) != 0 {
            let message = String(cString: strerror(errno))
            Glibc.close(fd)
            throw TestKitError("bind to \(source): \(message)")
        }
        let result = Self.withAddress(host, port: port) { Glibc.connect(fd, $0, $1) }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(fd)
            throw TestKitError("connect to \(host):\(port): \(message)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close() }

    private static func withAddress(_ host: String, port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// Closes the socket (idempotent).
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }

    // MARK: - Sending

    /// Shuts down the sending side (a FIN): the server sees end of input but may still answer.
    public func finishSending() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Sends all of `bytes`; throws if the server has closed or reset the connection.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a closed peer must fail this call, not kill the test process with SIGPIPE.
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }  // offset < count
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { throw TestKitError("send: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    /// Sends the UTF-8 bytes of `text`.
    public func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    // MARK: - Receiving

    /// Reads the next response, interim (1xx) ones included. `isHead` says the request was HEAD (no body follows).
    public func readResponse(timeout: Double = 5, isHead: Bool = false) throws -> TestResponse {
        let deadline = Self.now() + timeout
        while true {
            if let (response, used) = try Self.parse(buffered, isHead: isHead, isComplete: isPeerClosed) {
                buffered.removeFirst(used)
                return response
            }
            if isPeerClosed {
                throw TestKitError("connection closed before a complete response; have \(buffered.count) bytes: \(Self.preview(buffered))")
            }
            guard try receive(until: deadline) else {
                throw TestKitError("no complete response within \(timeout) s; have \(buffered.count) bytes: \(Self.preview(buffered))")
            }
        }
    }

    /// Reads the next final (non-1xx) response, skipping interim ones.
    public func readFinalResponse(timeout: Double = 5, isHead: Bool = false) throws -> TestResponse {
        let deadline = Self.now() + timeout
        while true {
            let response = try readResponse(timeout: max(0.01, deadline - Self.now()), isHead: isHead)
            if response.status >= 200 { return response }
        }
    }

    /// Sends `POST path` with a form body (`application/x-www-form-urlencoded`, as OAuth2's `/token` takes) and
    /// reads the answer.
    public func postForm(_ path: String, _ form: String, timeout: Double = 5) throws -> TestResponse {
        try send("POST \(path) HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 + "Content-Length: \(form.utf8.count)\r\n\r\n\(form)")
        return try readResponse(timeout: timeout)
    }

    /// Waits until the server closes the connection, dropping anything it sends; `true` if it closed within `timeout`.
    public func waitForClose(timeout: Double) -> Bool {
        let deadline = Self.now() + timeout
        while !isPeerClosed {
            guard (try? receive(until: deadline)) == true else { return isPeerClosed }
        }
        return true
    }

    /// Waits up to `timeout` for bytes or a close; returns what arrived (possibly nothing) and leaves it buffered.
    public func readAvailable(timeout: Double) -> [UInt8] {
        let before = buffered.count
        _ = try? receive(until: Self.now() + timeout)
        return Array(buffered[before...])
    }

    /// Waits for input until `deadline`; appends it to `buffered`. Returns false on timeout; sets `isPeerClosed` on EOF.
    private func receive(until deadline: Double) throws -> Bool {
        var pollDescriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let remaining = Int32(max(0, min(Double(Int32.max), (deadline - Self.now()) * 1000)))
            let ready = poll(&pollDescriptor, 1, remaining)
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 { throw TestKitError("poll: \(String(cString: strerror(errno)))") }
            if ready == 0 { return false }
            break
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffered.append(contentsOf: chunk[..<count])
        } else if count == 0 || errno == ECONNRESET {
            isPeerClosed = true
        } else if errno != EINTR && errno != EAGAIN {
            throw TestKitError("recv: \(String(cString: strerror(errno)))")
        }
        return true
    }

    // MARK: - Parsing

    /// Parses one response at the start of `bytes`; nil when more bytes are needed.
    /// A response with neither Content-Length nor chunking ends at the close (`isComplete`).
    static func parse(_ bytes: [UInt8], isHead: Bool, isComplete: Bool) throws -> (TestResponse, Int)? {
        guard let headEnd = find([13, 10, 13, 10], in: bytes, from: 0) else { return nil }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw TestKitError("malformed status line: \(lines[0])")
        }
        var headers: [TestResponse.HeaderField] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw TestKitError("malformed header line: \(line)") }
            headers.append(.init(name: line[..<colon].lowercased(),
                                 value: line[line.index(after: colon)...].trimmingCharacters(in: " \t")))
        }
        var response = TestResponse(status: status, headers: headers, body: [])
        let bodyStart = headEnd + 4
        if isHead || status < 200 || status == 204 || status == 304 { return (response, bodyStart) }
        if response.header("transfer-encoding")?.lowercased().contains("chunked") == true {
            guard let (body, used) = try dechunk(bytes, from: bodyStart) else { return nil }
            response.body = body
            return (response, used)
        }
        if let lengthText = response.header("content-length") {
            guard let length = Int(lengthText) else { throw TestKitError("bad content-length \(lengthText)") }
            guard bytes.count - bodyStart >= length else { return nil }
            response.body = Array(bytes[bodyStart..<bodyStart + length])
            return (response, bodyStart + length)
        }
        guard isComplete else { return nil }
        response.body = Array(bytes[bodyStart...])
        return (response, bytes.count)
    }

    private static func dechunk(_ bytes: [UInt8], from start: Int) throws -> ([UInt8], Int)? {
        var body: [UInt8] = []
        var index = start
        while true {
            guard let lineEnd = find([13, 10], in: bytes, from: index) else { return nil }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: " \t"), radix: 16) else { throw TestKitError("bad chunk size \(sizeText)") }
            index = lineEnd + 2
            if size == 0 {
                while true {                                       // trailer section, up to the empty line
                    guard let end = find([13, 10], in: bytes, from: index) else { return nil }
                    let isEmpty = end == index
                    index = end + 2
                    if isEmpty { return (body, index) }
                }
            }
            guard bytes.count >= index + size + 2 else { return nil }
            body.append(contentsOf: bytes[index..<index + size])
            index += size + 2
        }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0] && bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static func preview(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(120), as: UTF8.self).replacingCRLF()
    }

    /// Monotonic seconds, for deadlines and elapsed times in tests.
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice.removeFirst() }
        while let last = slice.last, characters.contains(last) { slice.removeLast() }
        return String(slice)
    }

    func replacingCRLF() -> String {
        String(map { $0 == "\r\n" ? "⏎" : $0 })
    }
}
