import CLinux
import Glibc

/// Tells a service manager how the service is doing (systemd's notify protocol, sd_notify(3)): one datagram per
/// state change to the Unix socket named by `NOTIFY_SOCKET`.
public final class ServiceNotifier: Sendable {
    private let fd: Int32
    private let address: UnixAddress
    /// How often the manager wants `WATCHDOG=1` (`WATCHDOG_USEC`), when it watches this process.
    public let watchdogMicroseconds: UInt64?

    /// The notifier the environment asks for, or nil when no manager listens (`NOTIFY_SOCKET` unset). The variables
    /// are removed so that no child inherits them.
    public static func fromEnvironment() -> ServiceNotifier? {
        let variables = ServiceEnvironment.take(["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"])
        guard let path = variables["NOTIFY_SOCKET"], let address = try? UnixAddress(path) else { return nil }
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        // WATCHDOG_PID, when set, names the process meant (sd_watchdog_enabled(3)).
        let forUs = variables["WATCHDOG_PID"].flatMap(Int32.init).map { $0 == getpid() } ?? true
        let interval = variables["WATCHDOG_USEC"].flatMap(UInt64.init).flatMap { forUs && $0 > 0 ? $0 : nil }
        return ServiceNotifier(fd: fd, address: address, watchdogMicroseconds: interval)
    }

    private init(fd: Int32, address: UnixAddress, watchdogMicroseconds: UInt64?) {
        self.fd = fd
        self.address = address
        self.watchdogMicroseconds = watchdogMicroseconds
    }

    deinit {
        Glibc.close(fd)
    }

    /// Sends `state` (`READY=1`, `STOPPING=1`, `WATCHDOG=1`, newline-separated assignments). A manager that went away
    /// is not the service's problem: failures are ignored, as sd_notify's callers do.
    public func notify(_ state: String) {
        let bytes = Array(state.utf8)
        _ = address.withSockaddr { pointer, length in
            bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), pointer, length) }
        }
    }
}
