import CLinux
import Glibc

/// Termination signals delivered synchronously to one waiting thread instead of to a handler.
///
/// `block()` must run before any other thread starts, so that every thread inherits the mask
/// and the kernel can only deliver the signals through `wait()`.
public struct SignalSet: Sendable {
    private let signals: [Int32]

    /// The set of `signals` (e.g. `[SIGTERM, SIGINT]`).
    public init(_ signals: [Int32]) {
        self.signals = signals
    }

    /// Blocks the signals in the calling thread (and in threads it starts later); also ignores SIGPIPE.
    public func block() {
        var set = makeSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Sleeps until one of the signals arrives and returns its number.
    public func wait() -> Int32 {
        var set = makeSet()
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        return received
    }

    private func makeSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        return set
    }
}
