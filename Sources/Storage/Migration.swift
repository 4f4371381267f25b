/// One numbered schema change, compiled into the binary. A migration that has shipped is never edited:
/// its checksum is recorded when it is applied, and a database whose recorded checksum differs is refused.
public struct Migration: Sendable {
    /// Its number; migrations apply in increasing order, each once.
    public let version: Int
    /// A short name for `api migrate status`.
    public let name: String
    /// The statements, run in one transaction.
    public let sql: String

    /// A migration.
    public init(_ version: Int, _ name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// FNV-1a (64-bit) of the SQL, in hex: it detects a migration edited after it shipped. It is not a
    /// defence against someone who can write the database file, who could change the schema directly.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
