import Glibc

/// A counting semaphore for a thread that must wait for another (Dispatch and Foundation are not linked).
final class Semaphore: @unchecked Sendable {
    private var semaphore = sem_t()

    init() {
        sem_init(&semaphore, 0, 0)
    }

    deinit {
        sem_destroy(&semaphore)
    }

    func signal() {
        sem_post(&semaphore)
    }

    func wait() {
        while sem_wait(&semaphore) != 0 && errno == EINTR {}
    }
}
