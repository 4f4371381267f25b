import Dispatch
import Net
import Postgres
import Synchronization

/// PostgreSQL as the server uses it (DESIGN §14). Once `attach(to:)` has given it the event loops, each loop reads and
/// writes through its own links (`PostgresLoopRunner`), made on first use, and no loop ever waits for the database.
/// Before that, and for the threads that may wait (start-up, the admin commands, `write`), one connection runs bodies
/// to their end (`PostgresBlockingRunner`).
///
/// What any instance commits, this one included, reaches it through a doorbell: loop 0 holds a link that listens to
/// `api_changes`, `api_revocations`, `api_users` and `api_channels` (rung by the database's triggers,
/// `PostgresMigrations`), and reads what is new by sequence number when one rings, and each time the link listens,
/// the first time and after every reconnection (notifications sent while it did not are lost).
final class PostgresDataStore: DataStore, @unchecked Sendable {
    // @unchecked: `slots` and `doorbell` are set once, before `isAttached` is set (release), and read after it is seen
    // (acquire); each slot's runner and the doorbell's link are touched only on their loop's thread; the blocking
    // runner only on `blockingQueue`; `onRevocations` only under `revocationsHandler`.
    private let connectionString: String
    private let settings: PostgresLink.Settings
    private let tables: [String: PostgresResourceTable]
    private let blocking: PostgresBlockingRunner
    /// The blocking runner's one thread at a time; it also runs the writes `submit` gets before the loops are
    /// attached, off the caller's thread.
    private let blockingQueue = DispatchQueue(label: "api.postgres.blocking")
    private var slots: [Slot] = []
    /// Loop 0's listening link, held here so that it lives as long as the store.
    private var doorbell: PostgresLink?
    private let revocationsHandler = Mutex<(@Sendable () -> Void)?>(nil)
    private let isAttached = Atomic<Bool>(false)
    private let nextLoop = Atomic<Int>(0)
    private let isClosed = Atomic<Bool>(false)
    private let committed = Atomic<Int>(0)
    private let usersCommits = CommitCounter()
    let changeFeed = ChangeFeed()
    /// The shared rate limits' requests so far: every `PostgresRateLimits.requestsPerPurge`th also purges.
    let rateLimitRequests = Atomic<Int>(0)
    /// The channel messages this instance published so far: every `PostgresChannelMessages.publicationsPerPurge`th
    /// also purges.
    let channelPublications = Atomic<Int>(0)
    /// What the doorbell's loop has read of the channel messages.
    let channelFeed: PostgresChannelFeed

    /// The channels the doorbell listens to.
    private enum Bell: String, CaseIterable {
        case changes = "api_changes", revocations = "api_revocations", users = "api_users", channels = "api_channels"
    }

    /// One loop's runner, made on that loop's thread when it is first needed.
    private final class Slot {
        let loop: EventLoop
        var runner: PostgresLoopRunner?

        init(loop: EventLoop) {
            self.loop = loop
        }
    }

    /// A store on the database `connectionString` names, serving `resources`, whose statements wait at most
    /// `statementTimeoutMilliseconds`.
    init(_ connectionString: String, statementTimeoutMilliseconds: Int, resources: [ResourceDeclaration]) throws {
        self.connectionString = connectionString
        var settings = PostgresLink.Settings()
        settings.statementTimeoutMilliseconds = UInt64(statementTimeoutMilliseconds)
        self.settings = settings
        tables = Dictionary(uniqueKeysWithValues: resources.map { ($0.name, PostgresResourceTable($0)) })
        blocking = PostgresBlockingRunner(connectionString, timeoutMilliseconds: statementTimeoutMilliseconds)
        let (last, lastMessage) = try blocking.run({ session in
            (try PostgresChangeLog(session: session).bounds().last, try PostgresChannelMessages(session: session).last())
        }, isTransaction: false)
        changeFeed.start(after: last)
        channelFeed = PostgresChannelFeed(after: lastMessage)
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
        if let first = loops.first { first.execute { self.ringDoorbell(on: first) } }
    }

    /// The links stay on their loops, which stop soon and close them with the process.
    func detach() {
        isAttached.store(false, ordering: .releasing)
    }

    func onRevocationsElsewhere(_ handler: @escaping @Sendable () -> Void) {
        revocationsHandler.withLock { $0 = handler }
    }

    // MARK: - Reads

    func read<T>(on loop: Int, _ read: (any Transaction) throws -> T) throws -> T {
        try runBlocking { session in try read(transaction(session)) }
    }

    func read<T>(on loop: Int, _ read: @escaping @Sendable (any Transaction) throws -> T,
                 completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        run(on: loop, { session in try read(self.transaction(session)) }, completion: completion)
    }

    /// Runs `body` on loop `loop`'s read link, each of its statements on its own (committed at once, when it writes),
    /// and gives `completion` its outcome on the loop; before the loops are attached, or off their threads, on the
    /// blocking connection instead.
    func run<T>(on loop: Int, _ body: @escaping (PostgresSession) throws -> T, completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        guard let runner = runner(of: loop) else {
            return completion(Result { try runBlocking(body) })
        }
        runner.read(body, completion: completion)
    }

    /// Runs `body` to its end on the blocking connection, each statement on its own, and waits for it.
    func runBlocking<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try blockingQueue.sync { try blocking.run(body, isTransaction: false) }
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
        runner(in: slot).write({ session in try write(self.transaction(session)) }) { [self] outcome, session in
            if case .success = outcome { counted(session) }
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
        let value = try blocking.run({ session in try write(transaction(session)) }, in: session, isTransaction: true)
        counted(session)
        return value
    }

    func close() {
        isClosed.store(true, ordering: .relaxed)
        blockingQueue.sync { blocking.close() }
    }

    // MARK: - Parts

    private func transaction(_ session: PostgresSession) -> PostgresStoreTransaction {
        PostgresStoreTransaction(session: session, tables: tables)
    }

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

    /// Counts a commit. One that changed records needs nothing more: its trigger rang `api_changes`, and this instance's
    /// doorbell, like every other's, has the feed read the log.
    private func counted(_ session: PostgresSession) {
        committed.add(1, ordering: .relaxed)
        if session.changesUsers { usersCommits.add() }
    }

    /// Makes loop 0's doorbell link, listening to every bell; on the loop's thread. Each time a connection of it
    /// listens, the first included, every bell is answered: what was committed before (since the store opened, or
    /// while the link was down) rang for nobody.
    private func ringDoorbell(on loop: EventLoop) {
        let link = PostgresLink(connectionString, on: loop, settings: settings)
        link.onNotification = { [weak self] channel, _ in
            guard let self, let bell = Bell(rawValue: channel) else { return }
            answer(bell, on: loop.index)
        }
        link.onListening = { [weak self] in
            guard let self else { return }
            for bell in Bell.allCases { answer(bell, on: loop.index) }
        }
        link.listen(Bell.allCases.map(\.rawValue))
        doorbell = link
    }

    private func answer(_ bell: Bell, on loop: Int) {
        switch bell {
        case .changes: catchUpChangeFeed(on: loop)
        case .revocations: revocationsHandler.withLock { $0 }?()
        case .users: usersCommits.add()
        case .channels: catchUpChannels(on: loop)
        }
    }

    /// Commits that changed `users` (here, or in another instance as its bell says), counted before their writes are
    /// answered.
    private final class CommitCounter: ChangeCount {
        private let count = Atomic<Int>(0)

        var value: Int { count.load(ordering: .acquiring) }

        func add() { count.add(1, ordering: .releasing) }
    }
}
