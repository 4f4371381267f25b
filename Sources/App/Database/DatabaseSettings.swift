/// The `database` section: where the data lives and how it is opened.
public struct DatabaseSettings: Sendable {
    /// The SQLite file (with PostgreSQL, only its directory is used: it holds `handover.sock`).
    public var path: String
    /// When commits wait for the disk: `off`, `normal`, `full` or `extra` (checked by the config's schema).
    public var synchronous: String
    /// How long a write waits for another process's lock before it fails as busy.
    public var busyTimeoutMilliseconds: Int
    /// Whether `serve` applies pending migrations itself.
    public var autoMigrate: Bool
    /// A PostgreSQL connection string, or "" for the SQLite file.
    public var url: String = ""
    /// PostgreSQL: the longest a statement waits for its answer.
    public var statementTimeoutMilliseconds: Int = 5_000

    /// Where the data lives, for logs and errors: the SQLite file, or the PostgreSQL server without its password.
    public var location: String {
        url.isEmpty ? path : PostgresEngine.redacted(url)
    }

    /// The directory of `path` (`.` for a bare file name), which also holds a generated secret.
    public var directory: String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
