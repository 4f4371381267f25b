/// The `backup` section: backups `api serve` makes by itself (DESIGN §13).
public struct BackupSettings: Sendable, Equatable {
    /// Seconds between backups; 0 makes none (`backup.interval_s`).
    public var intervalSeconds: Int
    /// How many of the newest scheduled backups are kept; older ones are deleted (`backup.keep`).
    public var keep: Int
    /// Where they go (`backup.dir`); empty means `backups/` in the database's directory.
    public var directory: String

    /// The folder backups are written to, for a database in `dataDirectory`.
    func folder(dataDirectory: String) -> String {
        directory.isEmpty ? dataDirectory + "/backups" : directory
    }
}
