import CLinux
import Glibc

/// Thin wrappers over the socket calls the loops make, each through `syscall`.
public enum Socket {
    /// A TCP listener bound to `host:port`, non-blocking, with SO_REUSEADDR and optionally SO_REUSEPORT
    /// (one listener per loop lets the kernel spread new connections over the loops).
    public static func makeListener(host: String, port: Int, reusePort: Bool, backlog: Int32) throws(IOError) -> Int32 {
        let address = try resolve(host: host, port: port, passive: true)
        let fd = try syscallChecked("socket") {
            Glibc.socket(Int32(address.family), Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            if reusePort { try setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1) }
            try address.withSockaddr { pointer, length throws(IOError) in
                _ = try syscallChecked("bind") { Glibc.bind(fd, pointer, length) }
            }
            _ = try syscallChecked("listen") { Glibc.listen(fd, backlog) }
        } catch {
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    /// The local port `fd` is bound to (what port 0 became).
    public static func localPort(_ fd: Int32) throws(IOError) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { pointer throws(IOError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(IOError) in
                try syscallChecked("getsockname") { getsockname(fd, address, &length) }
            }
        }
        return SocketAddress(storage: storage).port
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec socket.
    @inline(__always)
    public static func accept(_ listener: Int32) throws(IOError) -> IOResult<Int32> {
        try syscall("accept4") { clinux_accept4_nonblocking(listener) }
    }

    /// The peer address of a connected socket as text (`127.0.0.1`), or "" if the kernel has none.
    public static func peerAddress(_ fd: Int32) -> String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        return result == 0 ? SocketAddress(storage: storage).host : ""
    }

    /// Opens a non-blocking TCP connection to `host:port`; completion is signalled by writability.
    public static func connect(host: String, port: Int) throws(IOError) -> Int32 {
        let address = try resolve(host: host, port: port, passive: false)
        let fd = try syscallChecked("socket") {
            Glibc.socket(Int32(address.family), Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            try address.withSockaddr { pointer, length throws(IOError) in
                let result = Glibc.connect(fd, pointer, length)
                if result == -1 && errno != EINPROGRESS { throw IOError(errno: errno, function: "connect") }
            }
            try setNoDelay(fd)
        } catch {
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    /// Disables Nagle's algorithm: every response is one write and must leave at once.
    /// Fixes the kernel's send buffer at `bytes` (Linux doubles it for its bookkeeping, socket(7)), which also stops
    /// the kernel from growing it for this socket.
    public static func setSendBuffer(_ fd: Int32, bytes: Int32) throws(IOError) {
        try setOption(fd, SOL_SOCKET, SO_SNDBUF, bytes)
    }

    public static func setNoDelay(_ fd: Int32) throws(IOError) {
        try setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
    }

    /// Reads into `buffer`; `.processed(0)` means the peer closed its side.
    @inline(__always)
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> IOResult<Int> {
        try syscall("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Writes from `buffer` without raising SIGPIPE on a closed peer.
    @inline(__always)
    public static func write(_ fd: Int32, from buffer: UnsafeRawBufferPointer) throws(IOError) -> IOResult<Int> {
        try syscall("send") { Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) }
    }

    /// A second descriptor for the socket `fd` (close-on-exec), to be closed on its own.
    public static func duplicate(_ fd: Int32) throws(IOError) -> Int32 {
        try syscallChecked("fcntl(F_DUPFD_CLOEXEC)") { fcntl(fd, F_DUPFD_CLOEXEC, 0) }
    }

    /// Half-closes the sending side, so the peer reads our last bytes and then EOF.
    public static func shutdownWrite(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Closes `fd`. Errors are ignored: Linux releases the descriptor even when close reports one.
    public static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    private static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws(IOError) {
        var value = value
        _ = try syscallChecked("setsockopt") {
            setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    private static func resolve(host: String, port: Int, passive: Bool) throws(IOError) -> SocketAddress {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw IOError(errno: EADDRNOTAVAIL, function: "getaddrinfo(\(host)): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)))
        }
        return SocketAddress(storage: storage)
    }
}
