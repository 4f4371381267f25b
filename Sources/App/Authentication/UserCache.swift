import HTTP

/// The users that access tokens name, as each event loop last read them, so that checking a token does not read
/// the database on every request.
///
/// An entry serves only while no commit of this process has changed `users` since it was read: the writer counts
/// those commits before it answers them, so a change made through this server is seen at once, by every loop.
/// And it serves for one second at most, so a change made by another process (a second server on the same file;
/// the command line only adds users) is seen within the second, as its revocations are. Each loop keeps its own
/// entries: the request path takes no lock.
final class UserCache: Sendable {
    private struct Entry {
        /// The user, or nil when there was none.
        let user: UserRecord?
        /// The writer's count of commits that changed `users` when the row was read.
        let changeCount: Int
        /// Unix seconds.
        let readAt: Int64
    }

    private let store: any DataStore
    /// The writer's count of commits that changed `users`.
    private let usersCommits: any ChangeCount
    /// Each loop's entries by user id; touched only by that loop's thread.
    private let loops: PerLoop<[Int64: Entry]>
    private let clock: @Sendable () -> Int64
    /// Entries one loop keeps before it starts again from none: a bound on memory.
    private static let capacity = 4096

    /// A cache over `store`'s reads, one part per loop; `clock` gives Unix seconds.
    init(store: any DataStore, loops: Int, clock: @escaping @Sendable () -> Int64) {
        self.store = store
        usersCommits = store.userChanges
        self.loops = PerLoop(count: max(1, loops)) { _ in [:] }
        self.clock = clock
    }

    /// The user with `id`, or nil when there is none; call from loop `loop`'s thread.
    /// - Throws: the read's error; or, when the store answers reads later (PostgreSQL) and the entry is not current, a
    ///   `Deferral` that reads it: the request is checked again once it is here.
    func user(id: Int64, loop: Int) throws -> UserRecord? {
        let changeCount = usersCommits.value, now = clock()   // the count before the read
        if let entry = loops[loop][id], entry.changeCount == changeCount, entry.readAt == now { return entry.user }
        guard store.answersReadsAtOnce else {
            throw Deferral { [self] done in
                store.read(on: loop, { transaction in try transaction.users.user(id: id) }) { outcome in
                    done(outcome.map { user in self.keep(user, id: id, changeCount: changeCount, now: now, loop: loop) })
                }
            }
        }
        let user = try store.read(on: loop) { transaction in try transaction.users.user(id: id) }
        keep(user, id: id, changeCount: changeCount, now: now, loop: loop)
        return user
    }

    private func keep(_ user: UserRecord?, id: Int64, changeCount: Int, now: Int64, loop: Int) {
        if loops[loop].count >= Self.capacity { loops[loop].removeAll(keepingCapacity: true) }
        loops[loop][id] = Entry(user: user, changeCount: changeCount, readAt: now)
    }
}
