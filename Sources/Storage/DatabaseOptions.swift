/// How a connection is opened and configured.
public struct DatabaseOptions: Sendable {
    /// When commits wait for the disk.
    public var synchronous = Synchronous.normal
    /// How long a statement waits for another connection's lock before failing with `SQLITE_BUSY`.
    public var busyTimeoutMilliseconds: Int32 = 5_000
    /// Open the file read-only (no schema changes, no writes); otherwise it is created if missing.
    public var isReadOnly = false

    /// WAL, foreign keys on, `synchronous = NORMAL`, a 5 s busy timeout.
    public init() {}
}
