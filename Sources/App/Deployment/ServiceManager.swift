import Glibc
import HTTP
import Net
import Synchronization

/// What systemd hears from `api serve` (DESIGN §13, `Type=notify`): READY=1 once it listens and has migrated,
/// STOPPING=1 when it begins to stop, and WATCHDOG=1 every half `WATCHDOG_USEC` while every event loop still runs
/// the tasks it is given: a loop stuck in a handler stops the pings, and systemd restarts the service.
final class ServiceManager: Sendable {
    private let notifier: ServiceNotifier
    private let isStopping = Atomic<Bool>(false)
    /// Loops that have not yet run the last round's probe.
    private let unanswered = Atomic<Int>(0)

    /// The manager the environment names, or nil when none watches this process.
    static func fromEnvironment() -> ServiceManager? {
        ServiceNotifier.fromEnvironment().map(ServiceManager.init)
    }

    private init(notifier: ServiceNotifier) {
        self.notifier = notifier
    }

    /// Says the service is ready, and starts the watchdog pings if the manager asked for them.
    func ready(status: String, watching server: HTTPServer) {
        notifier.notify("READY=1\nSTATUS=\(status)")
        guard let interval = notifier.watchdogMicroseconds else { return }
        _ = OSThread(name: "watchdog") { [self] in pingWhileResponsive(server, every: interval / 2) }
    }

    /// Says the service is stopping; the watchdog pings end (a drain is not a hang, and systemd stops watching).
    func stopping() {
        isStopping.store(true, ordering: .relaxed)
        notifier.notify("STOPPING=1")
    }

    /// Each round: ping if every loop ran the previous round's probe, then probe every loop again.
    private func pingWhileResponsive(_ server: HTTPServer, every microseconds: UInt64) {
        while !isStopping.load(ordering: .relaxed) {
            if unanswered.load(ordering: .acquiring) == 0 {
                notifier.notify("WATCHDOG=1")
                unanswered.store(server.loopCount, ordering: .releasing)
                for loop in 0..<server.loopCount {
                    server.execute(onLoop: loop) { [self] in unanswered.subtract(1, ordering: .releasing) }
                }
            }
            usleep(UInt32(min(microseconds, UInt64(UInt32.max))))
        }
    }
}
