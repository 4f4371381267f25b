public import Storage

/// The `database` section: where the SQLite file is and how it is opened.
public struct DatabaseSettings: Sendable {
    /// The SQLite file.
    public var path: String
    /// Connection options (synchronous, busy timeout).
    public var options: DatabaseOptions
    /// Whether `serve` applies pending migrations itself.
    public var autoMigrate: Bool

    /// The directory of `path` (`.` for a bare file name), which also holds a generated secret.
    public var directory: String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
