import Net

/// The storage engine as the server uses it: reads on each event loop's own connection, and one writer that
/// commits every write (DESIGN §4). Handlers reach it through `reading` and `committing`, never an engine's type.
protocol DataStore: Sendable {
    /// Runs `read` to its end and returns what it found: on SQLite on loop `loop`'s connection (call only on that
    /// loop's thread); on PostgreSQL it waits for the server, so only start-up, the admin commands and other threads
    /// that may wait call it. The request path uses `read(on:_:completion:)` (or `reading(_:_:then:)`).
    func read<T>(on loop: Int, _ read: (any Transaction) throws -> T) throws -> T

    /// Runs `read` on loop `loop`'s connection and gives `completion` its outcome on that loop's thread: at once on
    /// SQLite (`answersReadsAtOnce`), when the answers come on PostgreSQL. Call on the loop's thread. `read` may run
    /// more than once before it finishes (PostgreSQL runs it again as each answer comes): it must do nothing but read.
    func read<T>(on loop: Int, _ read: @escaping @Sendable (any Transaction) throws -> T,
                 completion: @escaping @Sendable (Result<T, any Error>) -> Void)

    /// Whether `read(on:_:completion:)` completes before it returns (SQLite's reads on the loop), so a handler can
    /// answer at once instead of later.
    var answersReadsAtOnce: Bool { get }

    /// Gives the store the server's event loops, by index, once they run: an engine across the network reads and
    /// writes from them from now on, without blocking them.
    func attach(to loops: [EventLoop])

    /// Calls `handler` (on a loop's thread) when another process revokes tokens, as soon as the engine learns of it:
    /// PostgreSQL's doorbell rings at once; SQLite has none, and the revocations are polled every second.
    func onRevocationsElsewhere(_ handler: @escaping @Sendable () -> Void)

    /// Takes the loops back before they stop: from now on the store reads and writes as before `attach(to:)` (the job
    /// runner's last tick commits after the server has stopped).
    func detach()

    /// Queues `write` for the writer's next transaction; `completion` gets its result once that transaction has
    /// committed (or the error that stopped it). `write` may run more than once (a failed neighbour makes SQLite's
    /// batch run again; PostgreSQL runs it again as each answer comes): it must change nothing but the transaction it
    /// is given, and do the same again given the same answers: what it draws by chance (ids, secrets) is drawn
    /// before it, as `TokenIssuer.Draw` is.
    func submit<T>(_ write: @escaping @Sendable (any Transaction) throws -> T,
                   completion: @escaping @Sendable (Result<T, any Error>) -> Void)

    /// Runs `write` in the writer's next transaction and waits for the commit: for start-up and the admin
    /// commands, never on an event loop.
    func write<T: Sendable>(_ write: @escaping @Sendable (any Transaction) throws -> T) throws -> T

    /// The count of commits that changed `users`, which `UserCache` compares to know its entries are current.
    var userChanges: any ChangeCount { get }

    /// The changes of the resources' records this store commits (and those other processes commit, once a loop
    /// catches up with the log), published in order after each durable commit.
    var changeFeed: ChangeFeed { get }

    /// The rate limits' counts shared by every instance on the database, or nil when there is nothing to share it
    /// with (SQLite serves from one process).
    var sharedRateLimits: (any SharedRateLimits)? { get }

    /// What carries channel messages to the other instances on the database, or nil when there are none (SQLite).
    var channelRelay: (any ChannelRelay)? { get }

    /// Write transactions committed so far (each a batch of writes), for `api_database_commits_total`.
    var commits: Int { get }

    /// Transactions that could not begin because another process held the write lock, for
    /// `api_database_busy_retries_total`.
    var busyRetries: Int { get }

    /// Commits what is queued and stops the writer; later writes fail.
    func close()
}

/// A count that only grows, read without a lock.
protocol ChangeCount: Sendable {
    /// The count now; a reader that loads it before reading has read rows at least as new as it.
    var value: Int { get }
}
