import CLinux
import Glibc

/// Blocking Unix stream sockets for control traffic between processes of one deployment (the hand-over of the
/// listening sockets): a few short lines, some carrying descriptors. Never used on an event loop.
public enum UnixSocket {
    /// A listening socket at `path`, readable and writable by this user only (the directory's permissions decide
    /// who reaches it; the mode is a second fence). An existing file at `path` is an error: bind elsewhere and rename.
    public static func listen(path: String) throws(IOError) -> Int32 {
        let address = try UnixAddress(path)
        let fd = try makeSocket()
        let previousMask = umask(0o177)
        defer { umask(previousMask) }
        let bound = address.withSockaddr { Glibc.bind(fd, $0, $1) }
        guard bound == 0, Glibc.listen(fd, 4) == 0 else {
            let error = IOError(errno: errno, function: "bind \(path)")
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    /// A socket connected to the listener at `path`.
    public static func connect(path: String) throws(IOError) -> Int32 {
        let address = try UnixAddress(path)
        let fd = try makeSocket()
        guard address.withSockaddr({ Glibc.connect(fd, $0, $1) }) == 0 else {
            let error = IOError(errno: errno, function: "connect \(path)")
            Glibc.close(fd)
            throw error
        }
        return fd
    }

    /// Waits for the next connection to `listener`.
    public static func accept(_ listener: Int32) throws(IOError) -> Int32 {
        let fd = try syscallChecked("accept") { Glibc.accept(listener, nil, nil) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    /// The user id of the process at the other end, or nil if the kernel cannot say.
    public static func peerUser(_ fd: Int32) -> UInt32? {
        let user = clinux_peer_user(fd)
        return user < 0 ? nil : UInt32(user)
    }

    /// Bounds how long a read of `fd` may wait (SO_RCVTIMEO); a read past it fails with EAGAIN.
    public static func setReceiveTimeout(_ fd: Int32, milliseconds: Int) {
        var limit = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends `line` and a newline, with `descriptors` attached to its bytes (SCM_RIGHTS); the receiver gets its own
    /// copies of them.
    public static func sendLine(_ fd: Int32, _ line: String, descriptors: [Int32] = []) throws(IOError) {
        let bytes = Array((line + "\n").utf8)
        let sent = bytes.withUnsafeBytes { buffer in
            descriptors.isEmpty ? Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                : clinux_send_with_descriptors(fd, buffer.baseAddress, buffer.count, descriptors, Int32(descriptors.count))
        }
        // A control line of a few dozen bytes fits any socket buffer: a short send means the peer is gone.
        guard sent == bytes.count else { throw IOError(errno: sent < 0 ? errno : EPIPE, function: "send") }
    }

    /// Reads up to a newline (at most `limit` bytes): the line without it and the descriptors that came with its
    /// bytes, or nil at end of input. The caller owns (and closes) the descriptors.
    public static func receiveLine(_ fd: Int32, maxDescriptors: Int = 0, limit: Int = 4096) throws(IOError) -> (line: String, descriptors: [Int32])? {
        var line: [UInt8] = []
        var descriptors: [Int32] = []
        var byte: UInt8 = 0
        var slots = [Int32](repeating: -1, count: max(1, maxDescriptors))
        // One byte per read: a line stops exactly at its newline, and descriptors stay with the bytes they came with.
        while line.count < limit {
            var received: Int32 = 0
            let count = clinux_receive_with_descriptors(fd, &byte, 1, &slots, Int32(maxDescriptors), &received)
            descriptors += slots.prefix(Int(received))
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                let error = IOError(errno: errno, function: "recvmsg")
                descriptors.forEach(Socket.close)
                throw error
            }
            guard count == 1 else {
                descriptors.forEach(Socket.close)
                return nil
            }
            if byte == UInt8(ascii: "\n") { return (String(decoding: line, as: UTF8.self), descriptors) }
            line.append(byte)
        }
        descriptors.forEach(Socket.close)
        throw IOError(errno: EMSGSIZE, function: "recvmsg")
    }

    private static func makeSocket() throws(IOError) -> Int32 {
        try syscallChecked("socket") { Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0) }
    }
}
