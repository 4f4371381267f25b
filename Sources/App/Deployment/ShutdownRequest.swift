import Dispatch
import HTTP
import Net
import Synchronization

/// Why `api serve` stops: a termination signal, or a successor that took over the listening sockets.
enum ShutdownReason: Equatable, Sendable {
    case signal(Int32)
    case handedOver
}

/// The first reason to stop, from whichever thread sees it: a thread waiting for SIGTERM or SIGINT (blocked in every
/// thread by `HTTPServer.blockTerminationSignals()`) or the hand-over point.
final class ShutdownRequest: Sendable {
    private let reason = Mutex<ShutdownReason?>(nil)
    private let arrived = DispatchSemaphore(value: 0)

    /// A request that a termination signal fires; the signal thread stays parked in sigwait after that (a second
    /// signal during the drain changes nothing) and ends with the process.
    static func onTerminationSignal() -> ShutdownRequest {
        let request = ShutdownRequest()
        _ = OSThread(name: "signals") { request.fire(.signal(HTTPServer.waitForTerminationSignal())) }
        return request
    }

    /// Records `reason` unless one came first, and wakes `wait()`.
    func fire(_ reason: ShutdownReason) {
        let isFirst = self.reason.withLock { current in
            guard current == nil else { return false }
            current = reason
            return true
        }
        if isFirst { arrived.signal() }
    }

    /// Sleeps until the first reason arrives and returns it.
    func wait() -> ShutdownReason {
        arrived.wait()
        return reason.withLock { $0! }   // fire sets it before signalling
    }
}
