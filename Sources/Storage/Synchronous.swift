/// SQLite's `synchronous` setting, which decides when a commit waits for the disk.
///
/// In WAL mode `normal` survives the process being killed (a committed transaction is in the WAL file,
/// in the kernel's page cache) but may lose the last commits on power loss; `full` fsyncs every commit.
public enum Synchronous: String, Sendable, CaseIterable {
    /// fsync at checkpoints only.
    case normal
    /// fsync on every commit.
    case full
}
