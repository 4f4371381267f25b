import CLinux
import Glibc

/// A joinable pthread running one closure; Foundation's `Thread` is not linked into the server.
public final class OSThread: @unchecked Sendable {
    private var handle: pthread_t

    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Starts a thread named `name` (visible in `top -H` and perf) that runs `body`.
    public init(name: String, _ body: @escaping @Sendable () -> Void) {
        let threadName = String(name.prefix(15))   // the kernel allows 15 bytes
        let box = Unmanaged.passRetained(Box {
            clinux_set_thread_name(threadName)
            body()
        }).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { argument in
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()  // passed non-nil just above
            box.body()
            return nil
        }, box)
        precondition(status == 0, "pthread_create failed: \(status)")
        handle = thread
    }

    /// Lowers the calling thread's priority by `increment` nice levels (Linux nice values are per thread): for long work
    /// that must leave the CPU to the event loops first, such as a backup.
    public static func lowerCurrentPriority(by increment: Int32) {
        clinux_renice_current_thread(increment)
    }

    /// Waits for the thread's closure to return.
    public func join() {
        _ = pthread_join(handle, nil)
    }
}
