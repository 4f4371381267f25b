import CSQLite
import Glibc
import Synchronization

/// The database's single writer: one connection on its own thread that commits every write submitted
/// to it, batching writes that arrive together into one transaction (group commit).
///
/// A batch is `BEGIN IMMEDIATE`, the writes, then one `COMMIT`; only after the commit do the completions run,
/// so a completion that sees success may tell a client "committed". One fsync-or-WAL-append then serves the
/// whole batch, which is what lets many concurrent writers go faster than one commit each. When a write fails,
/// the batch runs again with each write in a savepoint, so a write may run twice: it must change nothing but
/// the database it is given.
///
/// It also counts, for each table it was asked to watch, the commits that changed the table, so that a cache of
/// that table's rows in this process can tell at once when it went stale.
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
    private let checkpointer: Checkpointer
    private let busyRetryCount = Atomic<Int>(0)
    private let committedBatchCount = Atomic<Int>(0)
    /// How many commits so far changed one watched table; a commit is counted before its completions run, so a
    /// reader that loads the count, then reads, has read rows at least as new as that count. Held by the cache
    /// that needs it, so a lookup is one atomic load (and an `Atomic` is not copyable: an array holds it in a box).
    public final class CommitCount: Sendable {
        private let count = Atomic<Int>(0)

        /// The commits counted so far.
        public var value: Int { count.load(ordering: .acquiring) }

        fileprivate func add() { count.add(1, ordering: .releasing) }
    }

    /// The watched tables' names, as SQLite's update hook reports them, and their commit counts, in the same order.
    private let watchedTables: [[CChar]]
    private let changeCounts: [CommitCount]
    /// Bit `i`: the open transaction changed watched table `i`. Writer thread only.
    private var changedTables: UInt64 = 0
    /// The bit of the table whose commits run the action, and the action (see `init`).
    private let afterCommit: (bit: UInt64, action: (Database) -> Void)?

    /// Opens the writer's connection to `path`, runs `setUp` on it (connection state such as temporary triggers), and
    /// starts its thread; `maximumBatch` bounds one transaction. Commits that change one of `watching` (at most 64
    /// tables) are counted: `commitCount(changing:)`. After each commit that changed `afterCommit.table` (one of
    /// `watching`), `afterCommit.action` runs on the writer's thread with the connection, before the completions.
    public init(path: String, options: DatabaseOptions = DatabaseOptions(), maximumBatch: Int = 512,
                watching: [String] = [], setUp: String = "",
                afterCommit: (table: String, action: (Database) -> Void)? = nil) throws(SQLiteError) {
        precondition(watching.count <= UInt64.bitWidth, "at most 64 watched tables")
        database = try Database(path: path, options: options)
        if !setUp.isEmpty { try database.executeScript(setUp) }
        self.afterCommit = afterCommit.map { hook in
            guard let index = watching.firstIndex(of: hook.table) else { preconditionFailure("afterCommit's table is watched") }
            return (UInt64(1) << UInt64(index), hook.action)
        }
        checkpointer = try Checkpointer(path: path, options: options)
        self.maximumBatch = maximumBatch
        watchedTables = watching.map { Array($0.utf8CString) }
        changeCounts = watching.map { _ in CommitCount() }
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
        try database.executeScript("PRAGMA wal_autocheckpoint = 0")     // the checkpointer's job, see there
        installWALHook()
        if !watching.isEmpty { installUpdateHook() }
        thread = StorageThread.start { self.run() }
    }

    /// After each commit SQLite reports the WAL's size in pages; past the threshold, the checkpointer is asked.
    private func installWALHook() {
        let checkpointer = Unmanaged.passUnretained(self.checkpointer).toOpaque()    // lives as long as the writer
        sqlite3_wal_hook(database.handle, { context, _, _, pages in
            if pages >= Checkpointer.threshold, let context {
                Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().request()
            }
            return SQLITE_OK
        }, checkpointer)
    }

    /// SQLite calls the update hook for each row a statement inserts, updates or deletes (not for rows a `DELETE`
    /// without `WHERE` empties at once, https://sqlite.org/c3ref/update_hook.html), on the writer's thread.
    private func installUpdateHook() {
        let writer = Unmanaged.passUnretained(self).toOpaque()       // the hook lives as long as the connection
        sqlite3_update_hook(database.handle, { context, _, _, table, _ in
            guard let context, let table else { return }
            Unmanaged<DatabaseWriter>.fromOpaque(context).takeUnretainedValue().noteChange(of: table)
        }, writer)
    }

    private func noteChange(of table: UnsafePointer<CChar>) {
        for (index, name) in watchedTables.enumerated() where strcmp(table, name) == 0 {
            changedTables |= 1 << UInt64(index)
        }
    }

    /// After a commit: counts it for each watched table it changed, and runs `afterCommit` when its table changed,
    /// before any completion can tell a client.
    private func publishChanges() {
        var changed = changedTables
        changedTables = 0
        if let (bit, action) = afterCommit, changed & bit != 0 { action(database) }
        while changed != 0 {
            changeCounts[changed.trailingZeroBitCount].add()
            changed &= changed - 1
        }
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    // MARK: - Any thread

    /// Queues `body` for the next transaction; `completion` gets its result once that transaction has
    /// committed (or the error that stopped it), on the writer's thread. After `stop()` it fails at once.
    /// `body` may run more than once (see the type's comment): only its last run's result is kept.
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

    /// Commits what is queued, then stops the thread and waits for it, then checkpoints the WAL into the
    /// database file; later submissions fail. Calling it again does nothing.
    public func stop() {
        pthread_mutex_lock(&mutex)
        let wasStopping = isStopping
        isStopping = true
        pthread_cond_broadcast(&condition)
        pthread_mutex_unlock(&mutex)
        guard !wasStopping else { return }           // stopped already: its thread was joined once
        pthread_join(thread, nil)
        checkpointer.stop()
    }

    /// Times a batch could not begin because another process held the write lock past the busy timeout.
    public var busyRetries: Int { busyRetryCount.load(ordering: .relaxed) }

    /// Transactions committed so far (each one a batch of writes).
    public var committedBatches: Int { committedBatchCount.load(ordering: .relaxed) }

    /// The count of commits that changed `table`, one of the tables this writer watches; look it up once and keep it.
    public func commitCount(changing table: String) -> CommitCount {
        guard let index = watchedTables.firstIndex(where: { name in name.withUnsafeBufferPointer { strcmp($0.baseAddress!, table) == 0 } }) else {
            preconditionFailure("the writer does not watch \(table)")
        }
        return changeCounts[index]
    }

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

    /// How running a batch ended.
    private enum BatchOutcome {
        /// Finished: call each finisher. `committed` is false when the batch was one write that failed.
        case done([((any Error)?) -> Void], committed: Bool)
        /// One of several writes failed while they were not isolated: the transaction was rolled back.
        case needsIsolation
        /// Nothing was committed, because of `error`.
        case failed(any Error)
    }

    /// One transaction for the whole batch. The writes first run back to back; if one of several fails, the
    /// transaction is rolled back and the batch runs again with each write in its own savepoint, so a failing
    /// write undoes only its own changes. Savepoints cost three statements per write, and failing writes are
    /// rare (a taken email), so the common case does without them.
    private func commit(_ batch: [Item]) {
        var outcome = run(batch, isolating: false)
        if case .needsIsolation = outcome { outcome = run(batch, isolating: true) }
        switch outcome {
        case .done(let finishers, let committed):
            if committed { committedBatchCount.add(1, ordering: .relaxed) }
            for finish in finishers { finish(nil) }
        case .failed(let error):
            for item in batch { item.fail(error) }
        case .needsIsolation:
            preconditionFailure("an isolated run does not ask for isolation")
        }
    }

    private func run(_ batch: [Item], isolating: Bool) -> BatchOutcome {
        if let error = begin() { return .failed(error) }
        var finishers: [((any Error)?) -> Void] = []
        finishers.reserveCapacity(batch.count)
        do {
            for item in batch {
                if isolating { try database.execute("SAVEPOINT item") }
                let (failed, finish) = item.run(database)
                if failed && isolating {
                    try database.execute("ROLLBACK TO item")
                } else if failed {
                    rollBack()
                    return batch.count == 1 ? .done([finish], committed: false) : .needsIsolation
                }
                if isolating { try database.execute("RELEASE item") }
                finishers.append(finish)
            }
            try database.execute("COMMIT")
        } catch {
            rollBack()
            return .failed(error)
        }
        publishChanges()
        return .done(finishers, committed: true)
    }

    /// Undoes the open transaction; the changes it noted were never committed.
    private func rollBack() {
        try? database.execute("ROLLBACK")
        changedTables = 0
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
