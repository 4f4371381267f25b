import Glibc

/// A Unix socket address (unix(7)): a path, or with a leading `@` a name in the abstract namespace (as systemd
/// writes `NOTIFY_SOCKET`).
struct UnixAddress {
    private var address = sockaddr_un()
    private let length: socklen_t

    /// The address of `path`; throws ENAMETOOLONG when it does not fit `sun_path` (108 bytes with its NUL).
    init(_ path: String) throws(IOError) {
        var bytes = Array(path.utf8)
        let isAbstract = bytes.first == UInt8(ascii: "@")
        if isAbstract { bytes[0] = 0 }                  // the abstract namespace starts with a NUL byte
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else { throw IOError(errno: ENAMETOOLONG, function: "unix socket path \(path)") }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        // An abstract name is exactly its bytes; a path ends at its NUL, which the zeroed address supplies.
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!   // sun_path is a stored property
        length = socklen_t(pathOffset + bytes.count + (isAbstract ? 0 : 1))
    }

    /// Calls `body` with the address as the socket calls take it.
    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        var copy = address
        return withUnsafePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
