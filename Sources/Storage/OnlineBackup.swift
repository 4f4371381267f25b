import CSQLite
import Glibc

/// A consistent copy of a live SQLite database (DESIGN §13), made while other connections keep writing.
///
/// `VACUUM INTO` reads the whole database inside one read transaction of its own connection: in WAL mode a reader
/// never blocks the writer (https://sqlite.org/wal.html), so writes go on at full speed and the copy is the database
/// as of the moment that transaction began. The copy is written beside its destination, made durable (SQLite does not
/// sync what VACUUM INTO writes), checked with `PRAGMA integrity_check`, and only then renamed into place: a file at
/// the destination is always a complete, checked backup. It is created 0600.
public enum OnlineBackup {
    /// Copies the database at `source` to `destination` and returns the copy's size in bytes.
    /// - Throws: `SQLiteError` when the source cannot be read, the copy cannot be written or synced, or it fails its
    ///   integrity check (nothing is left at `destination` then).
    @discardableResult
    public static func copy(_ source: String, to destination: String, busyTimeoutMilliseconds: Int32 = 5_000) throws(SQLiteError) -> Int {
        let partial = destination + ".partial"
        unlink(partial)
        try createEmptyPrivateFile(partial)        // VACUUM INTO writes into an empty file and keeps its mode
        do throws(SQLiteError) {
            var options = DatabaseOptions()
            options.isReadOnly = true
            options.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            try Database(path: source, options: options).execute("VACUUM INTO ?", partial)
            try sync(partial)
            try checkIntegrity(partial)
            guard rename(partial, destination) == 0 else { throw failure("rename \(partial) to \(destination)") }
            try sync(directory(of: destination))
            return try size(of: destination)
        } catch {
            unlink(partial)
            throw error
        }
    }

    /// Checks the database at `path` with `PRAGMA integrity_check`, opened read-only.
    /// - Throws: `SQLiteError` naming the first problem SQLite reports.
    public static func checkIntegrity(_ path: String) throws(SQLiteError) {
        var options = DatabaseOptions()
        options.isReadOnly = true
        let database = try Database(path: path, options: options)
        let verdict: String?
        do { verdict = try database.queryOne("PRAGMA integrity_check") { row in row.string(0) } } catch {
            throw error as? SQLiteError ?? SQLiteError(code: SQLITE_CORRUPT, message: "\(error)")
        }
        guard verdict == "ok" else {
            throw SQLiteError(code: SQLITE_CORRUPT, message: "\(path) fails its integrity check: \(verdict ?? "no answer")")
        }
    }

    /// Flushes `path` (a file or a directory, whose entries a rename changed) to the disk.
    private static func sync(_ path: String) throws(SQLiteError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open \(path)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync \(path)") }
    }

    /// The directory of `path` (`.` for a bare file name).
    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func createEmptyPrivateFile(_ path: String) throws(SQLiteError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("create \(path)") }
        close(fd)
    }

    private static func size(of path: String) throws(SQLiteError) -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else { throw failure("stat \(path)") }
        return Int(status.st_size)
    }

    /// An error for a failed system call, with its errno's text.
    private static func failure(_ what: String) -> SQLiteError {
        SQLiteError(code: SQLITE_IOERR, message: "\(what): \(String(cString: strerror(errno)))")
    }
}
