import Glibc
import Postgres
import TestKit
import Testing

/// The non-blocking PostgreSQL connection (issue 21) against a real server made for each test: connecting over a Unix
/// socket and over TCP, parameters and NULL, many statements in flight at once, an error failing one statement only,
/// and a server that goes away.
@Suite struct PostgresConnectionTests {
    /// Drives `connection` as an event loop would (waiting on its socket) until `done` holds.
    private static func drive(_ connection: PostgresConnection, until done: () -> Bool, timeout: Double = 10) throws {
        let deadline = TestClient.now() + timeout
        while !done() {
            guard TestClient.now() < deadline else { throw TestKitError("not done within \(timeout) s (pending \(connection.pendingCount))") }
            connection.waitForEvents(upTo: 50)
        }
    }

    /// Runs one statement and drives the connection until it is answered.
    private static func answer(_ connection: PostgresConnection, _ sql: String, _ parameters: [String?] = []) throws
        -> Result<PostgresResult, PostgresError> {
        var outcome: Result<PostgresResult, PostgresError>?
        connection.execute(sql, parameters) { outcome = $0 }
        try drive(connection) { outcome != nil }
        return outcome!   // set when drive returns
    }

    @Test(.timeLimit(.minutes(1)))
    func connectsBySocketAndByTCPAndBindsParameters() throws {
        let server = try PostgresServer()
        defer { withExtendedLifetime(server) {} }   // its deinit stops it
        for connectionString in [server.socketConnectionString, server.tcpConnectionString] {
            let connection = try PostgresConnection(connectionString)
            let sum = try Self.answer(connection, "SELECT $1::int + $2::int AS sum, $3::text IS NULL AS missing", ["2", "40", nil]).get()
            #expect(connection.isReady)
            #expect(sum.columns == ["sum", "missing"] && sum.rows == [["42", "t"]], "\(sum)")
            let text = try Self.answer(connection, "SELECT $1::text, NULL::text", ["héllo 'quoted' \"x\""]).get()
            #expect(text.rows == [["héllo 'quoted' \"x\"", nil]])
        }
    }

    /// 500 statements sent before any answer is read come back in order, each to its own completion; a write's
    /// command tag counts its rows.
    @Test(.timeLimit(.minutes(1)))
    func manyStatementsInFlightAnswerInOrder() throws {
        let server = try PostgresServer()
        defer { withExtendedLifetime(server) {} }   // its deinit stops it
        let connection = try PostgresConnection(server.socketConnectionString)
        _ = try Self.answer(connection, "CREATE TABLE numbers (n int PRIMARY KEY)").get()
        var answers: [Int] = []
        for number in 0..<500 {
            connection.execute("INSERT INTO numbers VALUES ($1) RETURNING n", [String(number)]) { result in
                answers.append((try? result.get()).flatMap { $0.rows.first?.first ?? nil }.flatMap { Int($0) } ?? -1)
            }
        }
        #expect(connection.pendingCount == 500)
        try Self.drive(connection) { answers.count == 500 }
        #expect(answers == Array(0..<500))
        let deleted = try Self.answer(connection, "DELETE FROM numbers WHERE n < 10").get()
        #expect(deleted.affectedRows == 10 && deleted.rows.isEmpty)
    }

    /// A refused statement fails alone, with its SQLSTATE; the statements around it in the same pipeline succeed.
    @Test(.timeLimit(.minutes(1)))
    func anErrorFailsOnlyItsStatement() throws {
        let server = try PostgresServer()
        defer { withExtendedLifetime(server) {} }   // its deinit stops it
        let connection = try PostgresConnection(server.tcpConnectionString)
        _ = try Self.answer(connection, "CREATE TABLE names (name text UNIQUE)").get()
        var outcomes: [Result<PostgresResult, PostgresError>] = []
        for sql in ["INSERT INTO names VALUES ('a')", "INSERT INTO names VALUES ('a')", "SELECT 1 / 0", "SELECT count(*) FROM names"] {
            connection.execute(sql) { outcomes.append($0) }
        }
        try Self.drive(connection) { outcomes.count == 4 }
        #expect((try? outcomes[0].get())?.affectedRows == 1)
        #expect(Self.sqlState(outcomes[1]) == "23505", "a unique violation: \(outcomes[1])")
        #expect(Self.sqlState(outcomes[2]) == "22012", "division by zero: \(outcomes[2])")
        #expect((try? outcomes[3].get())?.rows == [["1"]])
        #expect(connection.isReady, "the connection goes on")
    }

    /// A query is prepared the first time the connection sends it and run by name after: the same SQL with other
    /// parameters plans once. One whose preparation fails gets the preparation's error (a syntax error, 42601, not
    /// "prepared statement does not exist"), and is not kept, so a later one is prepared again. Commands run unprepared.
    @Test(.timeLimit(.minutes(1)))
    func queriesArePreparedOnceAndAFailedPreparationSaysWhy() throws {
        let server = try PostgresServer()
        defer { withExtendedLifetime(server) {} }   // its deinit stops it
        let connection = try PostgresConnection(server.tcpConnectionString)
        for value in ["1", "2", "3"] { #expect(try Self.answer(connection, "SELECT $1::int + 1", [value]).get().rows == [[String(Int(value)! + 1)]]) }
        _ = try Self.answer(connection, "BEGIN").get()
        _ = try Self.answer(connection, "COMMIT").get()
        let kept = try Self.answer(connection, "SELECT statement FROM pg_prepared_statements ORDER BY name").get().rows.compactMap { $0[0] }
        #expect(kept == ["SELECT $1::int + 1", "SELECT statement FROM pg_prepared_statements ORDER BY name"], "\(kept)")
        #expect(Self.sqlState(try Self.answer(connection, "SELECT FROM WHERE")) == "42601")
        #expect(Self.sqlState(try Self.answer(connection, "SELECT FROM WHERE")) == "42601", "tried again, not kept")
        #expect(try Self.answer(connection, "SELECT $1::int + 1", ["41"]).get().rows == [["42"]])
    }

    /// The server stopping fails what is in flight with a connection error, and later statements at once; a port
    /// where nothing listens fails the connection, not the caller's thread.
    @Test(.timeLimit(.minutes(1)))
    func aServerThatGoesAwayFailsWhatIsPending() throws {
        let server = try PostgresServer()
        defer { withExtendedLifetime(server) {} }   // its deinit stops it
        let connection = try PostgresConnection(server.tcpConnectionString)
        _ = try Self.answer(connection, "SELECT 1").get()
        var slow: Result<PostgresResult, PostgresError>?
        connection.execute("SELECT pg_sleep(30)") { slow = $0 }
        try Self.drive(connection, until: { true })
        server.stop()
        try Self.drive(connection) { slow != nil }
        #expect(Self.kind(slow!) == .connection, "\(slow!)")
        var later: Result<PostgresResult, PostgresError>?
        connection.execute("SELECT 1") { later = $0 }
        #expect(later.map(Self.kind) == .connection, "fails at once")

        let nowhere = try PostgresConnection("host=127.0.0.1 port=\(try FreePort.next()) user=postgres connect_timeout=2")
        var refused: Result<PostgresResult, PostgresError>?
        nowhere.execute("SELECT 1") { refused = $0 }
        try Self.drive(nowhere) { refused != nil }
        #expect(Self.kind(refused!) == .connection && nowhere.failure != nil, "\(refused!)")
    }

    private static func sqlState(_ outcome: Result<PostgresResult, PostgresError>) -> String? {
        if case .failure(let error) = outcome { error.sqlState } else { nil }
    }

    private static func kind(_ outcome: Result<PostgresResult, PostgresError>) -> PostgresError.Kind? {
        if case .failure(let error) = outcome { error.kind } else { nil }
    }
}
