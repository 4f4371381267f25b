import Glibc

/// Ctrl-C for a bench: SIGINT is blocked on the thread that runs the bench (threads started after inherit the mask),
/// and taken by its sleeps, so an interrupted run ends with a report instead of the process dying.
struct InterruptWatch {
    private var interrupt = sigset_t()
    private var previousMask = sigset_t()

    /// Blocks SIGINT in the calling thread; call before starting the loops, and `release()` after joining them.
    init() {
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_BLOCK, &interrupt, &previousMask)
    }

    /// Restores the signal mask from before.
    mutating func release() {
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
    }

    /// Sleeps for `nanoseconds` (less than a second) or until Ctrl-C; returns `true` for Ctrl-C.
    mutating func sleep(nanoseconds: UInt64) -> Bool {
        var timeout = timespec(tv_sec: 0, tv_nsec: Int(nanoseconds))
        return sigtimedwait(&interrupt, nil, &timeout) == SIGINT
    }
}
