import Glibc
import Net

/// `api healthcheck`'s one request (DESIGN §13): `GET URL` with `Connection: close`, everything within a deadline,
/// and the answer's status code. Blocking (a command, not a loop), with `poll` bounding each wait.
public enum HealthProbe {
    /// The status `url` answers within `timeoutNanoseconds`, or why there is none (one line).
    public static func status(of url: BenchURL, timeoutNanoseconds: UInt64) -> Result<Int, BenchError> {
        let deadline = MonotonicClock.nanoseconds() + timeoutNanoseconds
        let fd: Int32
        do {
            fd = try Socket.connect(host: url.host, port: url.port)
        } catch {
            return .failure(.unreachable("cannot connect to \(url.authority): \(Reachability.describe(errno: error.errno))"))
        }
        defer { Socket.close(fd) }
        let request = Array("GET \(url.target) HTTP/1.1\r\nHost: \(url.authority)\r\nConnection: close\r\nUser-Agent: api-healthcheck\r\n\r\n".utf8)
        guard wait(fd, for: POLLOUT, until: deadline) else {
            return .failure(.unreachable("\(url): no connection within \(DurationText.describe(nanoseconds: timeoutNanoseconds))"))
        }
        let failure = Reachability.pendingError(fd)
        guard failure == 0 else { return .failure(.unreachable("cannot connect to \(url.authority): \(Reachability.describe(errno: failure))")) }
        guard request.withUnsafeBytes({ Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else {
            return .failure(.unreachable("\(url): the request could not be sent"))
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while !received.contains(0x0A) {
            guard wait(fd, for: POLLIN, until: deadline) else {
                return .failure(.unreachable("\(url): no answer within \(DurationText.describe(nanoseconds: timeoutNanoseconds))"))
            }
            let count = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return .failure(.unreachable("\(url): the connection closed before an answer")) }
            received += buffer[..<count]
        }
        // RFC 9112 §4: HTTP-version SP 3DIGIT SP reason.
        let line = String(decoding: received.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self).split(separator: " ")
        guard line.count >= 2, line[0].hasPrefix("HTTP/1."), let code = Int(line[1]) else {
            return .failure(.unreachable("\(url): not an HTTP answer"))
        }
        return .success(code)
    }

    /// Whether `fd` became ready for `events` before `deadline` (monotonic nanoseconds).
    private static func wait(_ fd: Int32, for events: Int32, until deadline: UInt64) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(events), revents: 0)
        while true {
            let now = MonotonicClock.nanoseconds()
            guard now < deadline else { return false }
            let ready = poll(&poller, 1, Int32(clamping: (deadline - now) / 1_000_000 + 1))
            if ready > 0 { return true }
            if ready == 0 || errno != EINTR { return false }
        }
    }
}
