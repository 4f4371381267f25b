import Dispatch
import Postgres
import Synchronization
import TestKit
import Testing

/// Migrations under an advisory lock (issue 21: "N instances starting together migrate once").
@Suite struct PostgresMigratorTests {
    /// Three migrations; the second sleeps, so that instances starting together overlap. Its table is made without
    /// `IF NOT EXISTS`: a second run of it would fail.
    private static let migrations = [
        PostgresMigration(1, "notes", statements: ["CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL)"], checksum: "a1"),
        PostgresMigration(2, "tags, slowly", statements: ["SELECT pg_sleep(0.3)", "CREATE TABLE tags (name text PRIMARY KEY)"], checksum: "b2"),
        PostgresMigration(3, "a note", statements: ["INSERT INTO notes (body) VALUES ('first')"], checksum: "c3"),
    ]

    /// Six instances start together: one applies the three migrations, the five others none, and each ran once.
    @Test(.timeLimit(.minutes(1)))
    func instancesStartingTogetherMigrateOnce() throws {
        let server = try PostgresServer()
        defer { withExtendedLifetime(server) {} }   // its deinit stops it
        let applied = Mutex<[[Int]]>([])
        let failures = Mutex<[String]>([])
        let connectionString = server.tcpConnectionString
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do {
                let versions = try PostgresMigrator(Self.migrations).migrate(try PostgresConnection(connectionString)).map(\.version)
                applied.withLock { $0.append(versions) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let runs = applied.withLock { $0 }
        #expect(runs.filter { $0 == [1, 2, 3] }.count == 1 && runs.filter(\.isEmpty).count == 5, "\(runs)")
        let check = try PostgresConnection(connectionString)
        #expect(try check.runBlocking("SELECT count(*) FROM notes").rows == [["1"]])
        #expect(try check.runBlocking("SELECT version FROM schema_migrations ORDER BY version").rows == [["1"], ["2"], ["3"]])
    }

    /// A failing migration rolls back whole (its table is not left behind) and stops there; earlier ones stay. A
    /// database with a migration the binary does not know, or a changed one, is refused before anything runs.
    @Test(.timeLimit(.minutes(1)))
    func aFailingMigrationRollsBackAndAStrangeDatabaseIsRefused() throws {
        let server = try PostgresServer()
        defer { withExtendedLifetime(server) {} }   // its deinit stops it
        let connection = try PostgresConnection(server.socketConnectionString)
        let broken = Self.migrations.prefix(1) + [PostgresMigration(2, "broken", statements: ["CREATE TABLE tags (name text)", "SELECT 1 / 0"], checksum: "x")]
        #expect(throws: PostgresError.self) { try PostgresMigrator(Array(broken)).migrate(connection) }
        #expect(try connection.runBlocking("SELECT to_regclass('tags') IS NULL, (SELECT count(*) FROM schema_migrations)").rows == [["t", "1"]])

        try PostgresMigrator(Array(Self.migrations.prefix(1))).migrate(connection)
        var changed = Self.migrations
        changed[0] = PostgresMigration(1, "notes", statements: changed[0].statements, checksum: "edited")
        do {
            try PostgresMigrator(changed).migrate(connection)
            Issue.record("a changed migration was accepted")
        } catch let error as PostgresError {
            #expect(error.kind == .schema && error.message.contains("migrations 1 recorded"), "\(error)")
        }
        try PostgresMigrator(Self.migrations).migrate(connection)
        do {
            try PostgresMigrator(Array(Self.migrations.prefix(2))).migrate(connection)
            Issue.record("a newer database was accepted")
        } catch let error as PostgresError {
            #expect(error.kind == .schema && error.message.contains("migrations 3 that this binary does not know"), "\(error)")
        }
    }
}
