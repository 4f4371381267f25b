/// The `database` section: where the data lives and how it is opened.
public struct DatabaseSettings: Sendable {
    /// The SQLite file.
    public var path: String
    /// When commits wait for the disk: `off`, `normal`, `full` or `extra` (checked by the config's schema).
    public var synchronous: String
    /// How long a write waits for another process's lock before it fails as busy.
    public var busyTimeoutMilliseconds: Int
    /// Whether `serve` applies pending migrations itself.
    public var autoMigrate: Bool

    /// The directory of `path` (`.` for a bare file name), which also holds a generated secret.
    public var directory: String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
