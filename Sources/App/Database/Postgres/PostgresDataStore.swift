import Dispatch
import Net
import Postgres
import Synchronization

/// PostgreSQL as the server uses it (DESIGN §14). Once `attach(to:)` has given it the event loops, each loop reads and
/// writes through its own links (`PostgresLoopRunner`), made on first use, and no loop ever waits for the database.
/// Before that, and for the threads that may wait (start-up, the admin commands, `write`), one connection runs bodies
/// to their end (`PostgresBlockingRunner`).
final class PostgresDataStore: DataStore, @unchecked Sendable {
    // @unchecked: `slots` are filled once, before `isAttached` is set (release), and read after it is seen (acquire);
    // each slot's runner is touched only on its loop's thread; the blocking runner only on `blockingQueue`.
    private let connectionString: String
    private let settings: PostgresLink.Settings
    private let blocking: PostgresBlockingRunner
    /// The blocking runner's one thread at a time; it also runs the writes `submit` gets before the loops are
    /// attached, off the caller's thread.
    private let blockingQueue = DispatchQueue(label: "api.postgres.blocking")
    private var slots: [Slot] = []
    private let isAttached = Atomic<Bool>(false)
    private let nextLoop = Atomic<Int>(0)
    private let isClosed = Atomic<Bool>(false)
    private let committed = Atomic<Int>(0)
    private let usersCommits = CommitCounter()
    let changeFeed = ChangeFeed()

    /// One loop's runner, made on that loop's thread when it is first needed.
    private final class Slot {
        let loop: EventLoop
        var runner: PostgresLoopRunner?

        init(loop: EventLoop) {
            self.loop = loop
        }
    }

    /// A store on the database `connectionString` names, whose statements wait at most `statementTimeoutMilliseconds`.
    init(_ connectionString: String, statementTimeoutMilliseconds: Int) throws {
        self.connectionString = connectionString
        var settings = PostgresLink.Settings()
        settings.statementTimeoutMilliseconds = UInt64(statementTimeoutMilliseconds)
        self.settings = settings
        blocking = PostgresBlockingRunner(connectionString, timeoutMilliseconds: statementTimeoutMilliseconds)
        let last = try blocking.run({ session in try PostgresChangeLog(session: session).bounds().last }, isTransaction: false)
        changeFeed.start(after: last)
    }

    var userChanges: any ChangeCount { usersCommits }
    var answersReadsAtOnce: Bool { !isAttached.load(ordering: .acquiring) }
    var commits: Int { committed.load(ordering: .relaxed) }
    /// PostgreSQL has no busy database: a write waits for the rows it locks instead.
    var busyRetries: Int { 0 }

    func attach(to loops: [EventLoop]) {
        precondition(slots.isEmpty, "a store is attached to its loops once")
        slots = loops.map(Slot.init)
        isAttached.store(true, ordering: .releasing)
    }

    /// The links stay on their loops, which stop soon and close them with the process.
    func detach() {
        isAttached.store(false, ordering: .releasing)
    }

    // MARK: - Reads

    func read<T>(on loop: Int, _ read: (any Transaction) throws -> T) throws -> T {
        try blockingQueue.sync { try blocking.run({ session in try read(PostgresStoreTransaction(session: session)) }, isTransaction: false) }
    }

    func read<T>(on loop: Int, _ read: @escaping @Sendable (any Transaction) throws -> T,
                 completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        guard let runner = runner(of: loop) else { return completion(Result { try self.read(on: loop, read) }) }
        runner.read({ session in try read(PostgresStoreTransaction(session: session)) }, completion: completion)
    }

    // MARK: - Writes

    func submit<T>(_ write: @escaping @Sendable (any Transaction) throws -> T,
                   completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        guard !isClosed.load(ordering: .relaxed) else { return completion(.failure(StoreError.failed)) }
        guard isAttached.load(ordering: .acquiring) else {
            return blockingQueue.async { completion(Result { try self.runWrite(write) }) }
        }
        let slot = slots.first { $0.loop.inEventLoop } ?? slots[nextLoop.add(1, ordering: .relaxed).oldValue % slots.count]
        guard slot.loop.inEventLoop else { return slot.loop.execute { self.submit(write, completion: completion) } }
        runner(in: slot).write({ session in try write(PostgresStoreTransaction(session: session)) }) { [self] outcome, changedUsers in
            if case .success = outcome { counted(changedUsers: changedUsers) }
            completion(outcome)
        }
    }

    func write<T: Sendable>(_ write: @escaping @Sendable (any Transaction) throws -> T) throws -> T {
        try blockingQueue.sync { try runWrite(write) }
    }

    /// Runs `write` in a transaction on the blocking connection and waits for its commit; on `blockingQueue`.
    private func runWrite<T>(_ write: (any Transaction) throws -> T) throws -> T {
        guard !isClosed.load(ordering: .relaxed) else { throw StoreError.failed }
        let session = PostgresSession()
        let value = try blocking.run({ session in try write(PostgresStoreTransaction(session: session)) }, in: session, isTransaction: true)
        counted(changedUsers: session.changesUsers)
        return value
    }

    func close() {
        isClosed.store(true, ordering: .relaxed)
        blockingQueue.sync { blocking.close() }
    }

    // MARK: - Readiness

    /// Whether the loop's links are connected (an unattached store answers from its blocking connection).
    func isUp(on loop: Int) -> Bool {
        runner(of: loop)?.isUp ?? true
    }

    // MARK: - Parts

    /// Loop `loop`'s runner when the store is attached and this is that loop's thread; nil otherwise.
    private func runner(of loop: Int) -> PostgresLoopRunner? {
        guard isAttached.load(ordering: .acquiring), slots.indices.contains(loop), slots[loop].loop.inEventLoop else { return nil }
        return runner(in: slots[loop])
    }

    private func runner(in slot: Slot) -> PostgresLoopRunner {
        if let runner = slot.runner { return runner }
        let made = PostgresLoopRunner(connectionString, on: slot.loop, settings: settings)
        slot.runner = made
        return made
    }

    private func counted(changedUsers: Bool) {
        committed.add(1, ordering: .relaxed)
        if changedUsers { usersCommits.add() }
    }

    /// Commits that changed `users`, counted before their writes are answered.
    private final class CommitCounter: ChangeCount {
        private let count = Atomic<Int>(0)

        var value: Int { count.load(ordering: .acquiring) }

        func add() { count.add(1, ordering: .releasing) }
    }
}
