import Glibc

/// Starts the threads of this module (the writer and its checkpointer) with pthreads: Storage imports nothing
/// of ours, so not `Net`'s thread type.
enum StorageThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Starts a joinable thread running `body`.
    static func start(_ body: @escaping @Sendable () -> Void) -> pthread_t {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        let status = pthread_create(&thread, nil, { argument in
            Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue().run()   // passed non-nil just below
            return nil
        }, box)
        precondition(status == 0, "pthread_create failed: \(status)")
        return thread
    }
}
