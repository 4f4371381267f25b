import Glibc
import Synchronization

/// The database's single writer: one connection on its own thread that commits every write submitted
/// to it, batching writes that arrive together into one transaction (group commit).
///
/// A batch is `BEGIN IMMEDIATE`, each write in its own savepoint (a failing write undoes only its own
/// changes), then one `COMMIT`; only after the commit do the completions run, so a completion that sees
/// success may tell a client "committed". One fsync-or-WAL-append then serves the whole batch, which is
/// what lets many concurrent writers go faster than one commit each.
public final class DatabaseWriter: @unchecked Sendable {
    private struct Item {
        /// Runs the write on the writer's connection; returns whether it failed and what to call after the commit.
        let run: (Database) -> (failed: Bool, finish: ((any Error)?) -> Void)
        /// Reports a failure without running the write (the transaction could not begin).
        let fail: (any Error) -> Void
    }

    private var mutex = pthread_mutex_t()            // guards queue and isStopping
    private var condition = pthread_cond_t()
    private var queue: [Item] = []
    private var isStopping = false
    private let database: Database                   // writer thread only, once started
    private let maximumBatch: Int
    private var thread = pthread_t()
    private let busyRetryCount = Atomic<Int>(0)
    private let committedBatchCount = Atomic<Int>(0)

    /// Opens the writer's connection to `path` and starts its thread; `maximumBatch` bounds one transaction.
    public init(path: String, options: DatabaseOptions = DatabaseOptions(), maximumBatch: Int = 512) throws(SQLiteError) {
        database = try Database(path: path, options: options)
        self.maximumBatch = maximumBatch
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
        let box = Unmanaged.passRetained(self).toOpaque()    // released by the thread when it ends
        let status = pthread_create(&thread, nil, { argument in
            let writer = Unmanaged<DatabaseWriter>.fromOpaque(argument!).takeRetainedValue()   // passed non-nil below
            writer.run()
            return nil
        }, box)
        precondition(status == 0, "pthread_create failed: \(status)")
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    // MARK: - Any thread

    /// Queues `body` for the next transaction; `completion` gets its result once that transaction has
    /// committed (or the error that stopped it), on the writer's thread. After `stop()` it fails at once.
    public func submit<T>(_ body: @escaping @Sendable (Database) throws -> T,
                          completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        let item = Item(run: { database in
            do {
                let value = try body(database)
                return (false, { commitError in completion(commitError.map { .failure($0) } ?? .success(value)) })
            } catch {
                return (true, { _ in completion(.failure(error)) })
            }
        }, fail: { error in completion(.failure(error)) })
        pthread_mutex_lock(&mutex)
        let accepted = !isStopping
        if accepted {
            queue.append(item)
            pthread_cond_signal(&condition)
        }
        pthread_mutex_unlock(&mutex)
        if !accepted { completion(.failure(SQLiteError(code: 21, message: "the database writer has stopped"))) }   // SQLITE_MISUSE
    }

    /// Runs `body` in the writer's next transaction and waits for the commit; for start-up and maintenance
    /// work that is not on an event loop.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = Semaphore()
        submit(body) { outcome in
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()        // set before the signal
    }

    /// Commits what is queued, then stops the thread and waits for it; later submissions fail.
    public func stop() {
        pthread_mutex_lock(&mutex)
        isStopping = true
        pthread_cond_broadcast(&condition)
        pthread_mutex_unlock(&mutex)
        pthread_join(thread, nil)
    }

    /// Times a batch could not begin because another process held the write lock past the busy timeout.
    public var busyRetries: Int { busyRetryCount.load(ordering: .relaxed) }

    /// Transactions committed so far (each one a batch of writes).
    public var committedBatches: Int { committedBatchCount.load(ordering: .relaxed) }

    // MARK: - Writer thread

    private func run() {
        while let batch = nextBatch() { commit(batch) }
    }

    private func nextBatch() -> [Item]? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while queue.isEmpty && !isStopping { pthread_cond_wait(&condition, &mutex) }
        if queue.isEmpty { return nil }
        let count = min(queue.count, maximumBatch)
        let batch = Array(queue[..<count])
        queue.removeFirst(count)
        return batch
    }

    /// One transaction for the whole batch; each write in a savepoint unless it is alone.
    private func commit(_ batch: [Item]) {
        if let error = begin() {
            for item in batch { item.fail(error) }
            return
        }
        var finishers: [((any Error)?) -> Void] = []
        finishers.reserveCapacity(batch.count)
        var setupError: (any Error)?
        for item in batch {
            do {
                try database.execute("SAVEPOINT item")
                let (failed, finish) = item.run(database)
                if failed { try database.execute("ROLLBACK TO item") }
                try database.execute("RELEASE item")
                finishers.append(finish)
            } catch {
                setupError = error
                break
            }
        }
        let commitError = setupError ?? { () -> (any Error)? in
            do { try database.execute("COMMIT"); return nil } catch { return error }
        }()
        if commitError != nil {
            try? database.execute("ROLLBACK")
        } else {
            committedBatchCount.add(1, ordering: .relaxed)
        }
        for finish in finishers { finish(commitError) }
        if let setupError {       // the items never reached are told too
            for item in batch.dropFirst(finishers.count) { item.fail(setupError) }
        }
    }

    /// `BEGIN IMMEDIATE`, retried while another process holds the write lock (each try waits out the busy timeout).
    private func begin() -> (any Error)? {
        var attempts = 0
        while true {
            do {
                try database.execute("BEGIN IMMEDIATE")
                return nil
            } catch where error.isBusy && attempts < 3 {
                attempts += 1
                busyRetryCount.add(1, ordering: .relaxed)
            } catch {
                return error
            }
        }
    }
}
