import Testing
@testable import Storage

/// Migrations: order, idempotence, checksums, refusal of newer or changed databases, atomicity.
@Suite struct MigratorTests {
    static let first = Migration(1, "create t", sql: "CREATE TABLE t (v INTEGER)")
    static let second = Migration(2, "add u", sql: "CREATE TABLE u (w INTEGER); INSERT INTO u VALUES (7)")

    @Test func appliesPendingMigrationsInOrderOnce() throws {
        try withTemporaryDatabase { (database: Database) throws in
            let migrator = Migrator([Self.first, Self.second])
            #expect(try migrator.status(of: database).pending.map(\.version) == [1, 2])
            #expect(try migrator.migrate(database).map(\.version) == [1, 2])
            #expect(try migrator.migrate(database).isEmpty, "a second run applies nothing")
            let status = try migrator.status(of: database)
            #expect(status.isCurrent)
            #expect(status.applied.map(\.checksum) == [Self.first.checksum, Self.second.checksum])
            #expect(try database.queryOne("SELECT w FROM u") { $0.int(0) } == 7)
        }
    }

    @Test func anOlderBinaryRefusesANewerDatabase() throws {
        try withTemporaryDatabase { (database: Database) throws in
            try Migrator([Self.first, Self.second]).migrate(database)
            let older = Migrator([Self.first])
            #expect(try older.status(of: database).unknown == [2])
            #expect(throws: MigrationError.databaseIsNewer(versions: [2])) { try older.migrate(database) }
        }
    }

    @Test func anEditedMigrationIsRefused() throws {
        try withTemporaryDatabase { (database: Database) throws in
            try Migrator([Self.first]).migrate(database)
            let edited = Migrator([Migration(1, "create t", sql: "CREATE TABLE t (v INTEGER, extra TEXT)")])
            #expect(try edited.status(of: database).mismatched == [1])
            #expect(throws: MigrationError.checksumMismatch(versions: [1])) { try edited.migrate(database) }
        }
    }

    @Test func aFailingMigrationIsRolledBackAndLeavesEarlierOnes() throws {
        try withTemporaryDatabase { (database: Database) throws in
            let broken = Migration(2, "broken", sql: "CREATE TABLE u (w INTEGER); INSERT INTO nowhere VALUES (1)")
            #expect(throws: SQLiteError.self) { try Migrator([Self.first, broken]).migrate(database) }
            let status = try Migrator([Self.first, broken]).status(of: database)
            #expect(status.applied.map(\.version) == [1])
            #expect(try database.queryOne("SELECT 1 FROM sqlite_master WHERE name = 'u'") { _ in true } == nil, "no half-applied table")
        }
    }

    @Test func checksumsAreStableHex() {
        #expect(Migration(1, "x", sql: "").checksum == "cbf29ce484222325")
        #expect(Self.first.checksum.count == 16)
        #expect(Self.first.checksum != Self.second.checksum)
    }
}
