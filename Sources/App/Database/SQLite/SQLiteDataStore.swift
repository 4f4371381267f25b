import Net
import Storage

/// SQLite as the server uses it: one reader connection per event loop, used only on that loop's thread (short
/// reads on the loop, DESIGN §4), and the single writer that commits every write (group commit).
final class SQLiteDataStore: DataStore, @unchecked Sendable {
    // @unchecked: each reader is touched only by the loop whose index it has, which the server guarantees
    // (a request's context carries its loop index); the writer is thread-safe.
    private let readers: [Database]
    private let writer: DatabaseWriter
    private let tables: [String: SQLiteResourceTable]
    let userChanges: any ChangeCount
    let changeFeed = ChangeFeed()

    /// Opens the writer and `loops` readers on `settings.path`, which must already be migrated, serving `resources`.
    /// The writer's connection logs every change of the resources' records (`SQLiteChangeLog`) and publishes each
    /// commit's changes to `changeFeed` once it is durable.
    init(_ settings: DatabaseSettings, loops: Int, resources: [ResourceDeclaration]) throws {
        let tables = Dictionary(uniqueKeysWithValues: resources.map { ($0.name, SQLiteResourceTable($0)) })
        self.tables = tables
        readers = try (0..<max(1, loops)).map { _ in try Database(path: settings.path, options: settings.options) }
        let feed = changeFeed
        feed.start(after: try SQLiteChangeLog(database: readers[0]).bounds().last)
        // A command that only reads (`api resources`) may open a database whose tables are not all made yet.
        let existing = Set(try readers[0].query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.string(0) })
        writer = try DatabaseWriter(path: settings.path, options: settings.options, watching: ["users", "changes"],
                                    setUp: SQLiteChangeLog.setUp(tables.values.filter { existing.contains($0.declaration.name) }),
                                    afterCommit: ("changes", { database in try? feed.catchUp(from: SQLiteChangeLog(database: database)) }))
        userChanges = writer.commitCount(changing: "users")
    }

    func read<T>(on loop: Int, _ read: (any Transaction) throws -> T) throws -> T {
        try read(SQLiteTransaction(database: readers[loop], tables: tables))
    }

    func read<T>(on loop: Int, _ read: @escaping @Sendable (any Transaction) throws -> T,
                 completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        completion(Result { try self.read(on: loop, read) })
    }

    /// Reads run on the loop's own connection, to their end.
    var answersReadsAtOnce: Bool { true }
    /// One process serves a SQLite file: its own rate limiter counts every request.
    var sharedRateLimits: (any SharedRateLimits)? { nil }
    /// One process serves a SQLite file: its channels reach every subscriber there is.
    var channelRelay: (any ChannelRelay)? { nil }

    /// Nothing to do: each loop's reader is its own already.
    func attach(to loops: [EventLoop]) {}

    /// Nothing to do: the readers stay with their loops' indexes.
    func detach() {}

    /// Nothing rings: another process's revocations are polled every second (`Authenticator`).
    func onRevocationsElsewhere(_ handler: @escaping @Sendable () -> Void) {}

    func submit<T>(_ write: @escaping @Sendable (any Transaction) throws -> T,
                   completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        let tables = self.tables
        writer.submit({ database in try Self.run(write, on: database, tables: tables) }, completion: completion)
    }

    func write<T: Sendable>(_ write: @escaping @Sendable (any Transaction) throws -> T) throws -> T {
        let tables = self.tables
        return try writer.write { database in try Self.run(write, on: database, tables: tables) }
    }

    /// Runs `write` on the writer's connection; the author it names for its changes is forgotten after it.
    private static func run<T>(_ write: (any Transaction) throws -> T, on database: Database, tables: [String: SQLiteResourceTable]) throws -> T {
        let authorship = SQLiteTransaction.Authorship()
        defer { if authorship.isNamed { try? SQLiteChangeLog.forgetAuthor(on: database) } }
        return try write(SQLiteTransaction(database: database, tables: tables, authorship: authorship))
    }

    var commits: Int { writer.committedBatches }

    var busyRetries: Int { writer.busyRetries }

    func close() { writer.stop() }
}

extension DatabaseWriter.CommitCount: ChangeCount {}
