import Storage

/// The database as the server uses it: one reader connection per event loop, used only on that loop's
/// thread (short reads on the loop, DESIGN §4), and the single writer that commits every write.
final class DatabasePool: @unchecked Sendable {
    // @unchecked: each reader is touched only by the loop whose index it has, which the server guarantees
    // (a request's context carries its loop index); the writer is thread-safe.
    private let readers: [Database]
    /// The single writer (group commit).
    let writer: DatabaseWriter

    /// Opens the writer and `loops` readers on `settings.path`, which must already be migrated.
    init(_ settings: DatabaseSettings, loops: Int) throws {
        writer = try DatabaseWriter(path: settings.path, options: settings.options, watching: [UserCache.table])
        readers = try (0..<max(1, loops)).map { _ in try Database(path: settings.path, options: settings.options) }
    }

    /// Loop `loop`'s reader; call only on that loop's thread.
    func reader(_ loop: Int) -> Database { readers[loop] }

    /// Commits what is queued and stops the writer.
    func close() { writer.stop() }
}
