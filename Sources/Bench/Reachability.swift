import Glibc
import Net

/// The check made before a run starts, so that an unreachable target is one clear error instead of a run of
/// connect errors, and so that reconnects can use the numeric address instead of resolving the name again.
enum Reachability {
    /// Connects once to `url` within `timeoutNanoseconds`; returns the peer's numeric address.
    static func check(_ url: BenchURL, timeoutNanoseconds: UInt64) throws(BenchError) -> String {
        let fd: Int32
        do {
            fd = try Socket.connect(host: url.host, port: url.port)
        } catch {
            if error.function.hasPrefix("getaddrinfo") { throw .unreachable("cannot resolve \(url.host): \(error.function)") }
            throw .unreachable("cannot connect to \(url.authority): \(describe(errno: error.errno))")
        }
        defer { Socket.close(fd) }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let milliseconds = Int32(clamping: timeoutNanoseconds / 1_000_000)
        let ready = (try? syscallChecked("poll") { poll(&poller, 1, milliseconds) }) ?? 0
        guard ready > 0 else {
            throw .unreachable("cannot connect to \(url.authority): no answer within \(DurationText.describe(nanoseconds: timeoutNanoseconds))")
        }
        let error = pendingError(fd)
        guard error == 0 else { throw .unreachable("cannot connect to \(url.authority): \(describe(errno: error))") }
        return Socket.peerAddress(fd)
    }

    /// The outcome of a non-blocking connect on `fd` once it is writable: 0, or the errno it failed with.
    static func pendingError(_ fd: Int32) -> Int32 {
        var pending: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        do { _ = try syscallChecked("getsockopt") { getsockopt(fd, SOL_SOCKET, SO_ERROR, &pending, &length) } } catch { return error.errno }
        return pending
    }

    /// The system's words for `errno` (`Connection refused`).
    static func describe(errno code: Int32) -> String {
        String(cString: strerror(code))
    }
}
