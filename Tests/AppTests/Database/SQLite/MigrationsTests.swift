import Storage
import AppTestKit
import TestKit
import Testing
@testable import App

/// The compiled-in schema: migration 4 rebuilds `jobs` without losing a row or letting a job id come back.
@Suite struct MigrationsTests {
    private static let enqueueSQL = """
        INSERT INTO jobs (kind, payload, state, max_attempts, run_at, created_at, updated_at) VALUES ('audit', '{}', ?, 3, 1, 1, 1)
        """

    /// A database at version 3 holding jobs 1 and 2; job 3 was queued and then deleted, as a finished job is.
    private static func databaseAtVersion3() throws -> Database {
        let database = try Database(path: try SharedTestData.temporaryDirectory() + "/api.db")
        try Migrator(Array(SQLiteMigrations.all.prefix(3))).migrate(database)
        for state in ["queued", "dead", "queued"] { try database.execute(enqueueSQL, state) }
        try database.execute("DELETE FROM jobs WHERE id = 3")
        return database
    }

    @Test func rebuildingJobsKeepsEveryRowAndNeverReusesAnID() throws {
        let database = try Self.databaseAtVersion3()
        #expect(try Migrator(Array(SQLiteMigrations.all.prefix(4))).migrate(database).map(\.version) == [4])
        let rows = try database.query("SELECT id, state FROM jobs ORDER BY id") { "\($0.int64(0)) \($0.string(1))" }
        #expect(rows == ["1 queued", "2 dead"])
        try database.execute(Self.enqueueSQL, "queued")
        #expect(database.lastInsertedRowID == 4, "id 3 was used once: the counter carries over")
        let indexes = try database.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs' ORDER BY name") { $0.string(0) }
        #expect(indexes == ["jobs_queued", "jobs_running"])
        #expect(throws: SQLiteError.self) { try database.execute(Self.enqueueSQL, "lost") }
    }

    /// The reason for migration 4: queueing a job builds no temporary b-tree (SQLite's `OpenEphemeral`).
    @Test func queueingAJobBuildsNoTemporaryTable() throws {
        let database = try Self.databaseAtVersion3()
        let before = try Self.opcodes(of: Self.enqueueSQL, in: database)
        try Migrator(SQLiteMigrations.all).migrate(database)
        #expect(before.contains("OpenEphemeral"), "version 3's list check did")
        #expect(try !Self.opcodes(of: Self.enqueueSQL, in: database).contains("OpenEphemeral"))
    }

    private static func opcodes(of sql: String, in database: Database) throws -> [String] {
        try database.query("EXPLAIN " + sql, "queued") { $0.string(1) }
    }
}
