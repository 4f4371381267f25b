import Glibc
import Net
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1:0, a thread per connection, answering every request `200 ok`,
/// that can stall every answer once for `stallSeconds`, starting `stallAfterSeconds` after its first request:
/// the server-side hiccup that coordinated omission hides.
final class StallingServer: Sendable {
    let port: Int
    private let listener: Int32
    private let stallAfter: UInt64
    private let stallFor: UInt64
    private let state = Mutex<State>(State())
    private let acceptThread = Mutex<OSThread?>(nil)

    private struct State {
        var firstRequest: UInt64?
        var stallUntil: UInt64?
        var clients: [Int32] = []
        var threads: [OSThread] = []
        var stopped = false
    }

    private static let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok".utf8)

    /// Starts listening; `stallAfterSeconds` nil means never stall.
    init(stallAfterSeconds: Double? = nil, stallSeconds: Double = 1) throws {
        listener = try Socket.makeListener(host: "127.0.0.1", port: 0, reusePort: false, backlog: 256)
        _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) & ~O_NONBLOCK)   // threads block in accept
        port = try Socket.localPort(listener)
        stallAfter = stallAfterSeconds.map { UInt64($0 * 1e9) } ?? .max
        stallFor = UInt64(stallSeconds * 1e9)
        let thread = OSThread(name: "stall-accept") { [self] in acceptLoop() }
        acceptThread.withLock { $0 = thread }
    }

    /// Stops accepting, ends every connection and waits for the threads.
    func stop() {
        let (clients, threads) = state.withLock { state in
            state.stopped = true
            return (state.clients, state.threads)
        }
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        for fd in clients { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        acceptThread.withLock { $0 }?.join()
        for thread in threads { thread.join() }
        for fd in clients { Glibc.close(fd) }
        Glibc.close(listener)
    }

    private func acceptLoop() {
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let thread = OSThread(name: "stall-conn") { [self] in serve(fd) }
            let accepted = state.withLock { state -> Bool in
                state.clients.append(fd)
                state.threads.append(thread)
                return !state.stopped
            }
            if !accepted { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Answers each request head (GETs only, so a head is all there is) as it completes.
    private func serve(_ fd: Int32) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            pending.append(contentsOf: buffer[..<count])
            while let end = endOfHead(pending) {
                pending.removeFirst(end)
                waitOutStall()
                let written = Self.response.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if written < 0 { return }
            }
        }
    }

    private func endOfHead(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count where bytes[index] == 0x0A && bytes[index - 1] == 0x0D && bytes[index - 2] == 0x0A && bytes[index - 3] == 0x0D {
            return index + 1
        }
        return nil
    }

    /// Arms the stall at the first request past `stallAfter`, then holds every answer until it is over. The clock is
    /// read under the lock: a time read before it could precede another connection's first request (and `now - first`
    /// overflowed, crashing a CI run).
    private func waitOutStall() {
        let (now, until) = state.withLock { state -> (UInt64, UInt64?) in
            let now = MonotonicClock.nanoseconds()
            let first = state.firstRequest ?? now
            state.firstRequest = first
            if state.stallUntil == nil && stallAfter != .max && now - first >= stallAfter { state.stallUntil = now + stallFor }
            return (now, state.stallUntil)
        }
        guard let until, now < until else { return }
        usleep(UInt32((until - now) / 1000))
    }
}
