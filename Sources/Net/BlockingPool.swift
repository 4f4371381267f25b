import CLinux
import Glibc

/// A fixed number of threads for CPU-heavy or blocking work, with a bounded queue so a flood is refused, not hoarded.
///
/// Work submitted here must hand its result back to a loop with `EventLoop.execute`. The pool lives until
/// `shutdown()` is called, even when nothing else refers to it.
public final class BlockingPool: @unchecked Sendable {
    private var mutex = pthread_mutex_t()          // guards queue and isShutDown
    private var condition = pthread_cond_t()
    private var queue: [@Sendable () -> Void] = []
    private var isShutDown = false
    private let capacity: Int
    private var threads: [OSThread] = []

    /// Starts `threads` workers; at most `capacity` jobs wait at once. A positive `niceness` lowers the
    /// workers' scheduling priority (nice(2)) below the rest of the process.
    public init(threads count: Int, capacity: Int, niceness: Int32 = 0) {
        self.capacity = capacity
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
        threads = (0..<max(1, count)).map { index in
            // The workers keep the pool alive until `shutdown()`: its mutex must outlive their last wait.
            OSThread(name: "pool-\(index)") {
                if niceness > 0 { clinux_renice_current_thread(niceness) }
                self.work()
            }
        }
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    /// Queues `job`; returns `false` without queueing when the queue is full or the pool is shut down.
    @discardableResult
    public func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        guard !isShutDown, queue.count < capacity else { return false }
        queue.append(job)
        pthread_cond_signal(&condition)
        return true
    }

    /// Lets queued jobs finish, then stops the workers and waits for them.
    public func shutdown() {
        pthread_mutex_lock(&mutex)
        isShutDown = true
        pthread_cond_broadcast(&condition)
        pthread_mutex_unlock(&mutex)
        for thread in threads { thread.join() }
    }

    private func work() {
        while let job = nextJob() { job() }
    }

    private func nextJob() -> (@Sendable () -> Void)? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while queue.isEmpty && !isShutDown { pthread_cond_wait(&condition, &mutex) }
        return queue.isEmpty ? nil : queue.removeFirst()
    }
}
