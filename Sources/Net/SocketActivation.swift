import CLinux
import Glibc

/// The listening sockets a service manager opened for this process (systemd's socket activation, sd_listen_fds(3)):
/// `LISTEN_FDS` descriptors from 3 on, meant for us when `LISTEN_PID` is our process id.
public enum SocketActivation {
    /// The first passed descriptor (`SD_LISTEN_FDS_START`).
    private static let firstDescriptor: Int32 = 3

    /// The passed TCP listeners, made non-blocking and close-on-exec, or nil when none were passed to this process.
    /// The variables are removed so that no child inherits them. Throws when a passed descriptor is not a listening
    /// TCP socket (a unit file with `ListenDatagram=` or a Unix path, which the server cannot serve).
    public static func inheritedListeners() throws(IOError) -> [Int32]? {
        let variables = ServiceEnvironment.take(["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"])
        guard let pid = variables["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
              let count = variables["LISTEN_FDS"].flatMap(Int32.init), count > 0 else { return nil }
        let descriptors = Array(firstDescriptor..<firstDescriptor + count)
        for fd in descriptors { try prepare(fd) }
        return descriptors
    }

    private static func prepare(_ fd: Int32) throws(IOError) {
        guard option(fd, SO_ACCEPTCONN) == 1, option(fd, SO_TYPE) == Int32(SOCK_STREAM.rawValue),
              [AF_INET, AF_INET6].contains(option(fd, SO_DOMAIN)) else {
            throw IOError(errno: ENOTSOCK, function: "LISTEN_FDS: descriptor \(fd) is not a listening TCP socket")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    private static func option(_ fd: Int32, _ name: Int32) -> Int32 {
        var value: Int32 = -1
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, name, &value, &length) == 0 ? value : -1
    }
}
