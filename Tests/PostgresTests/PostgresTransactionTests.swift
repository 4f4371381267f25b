import Glibc
import Postgres
import Synchronization
import TestKit
import Testing

/// Transactions on a `PostgresLink` (issue 21: what each store's writes need): statements that depend on earlier
/// answers, commit, rollback on the first failure, and a link that holds every other statement until the end.
@Suite struct PostgresTransactionTests {
    private static func setUp() throws -> (PostgresServer, PostgresLinkTests.Rig) {
        let server = try PostgresServer()
        try PostgresConnection(server.socketConnectionString).runBlocking([
            ("CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text UNIQUE NOT NULL)", []),
            ("CREATE TABLE changes (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note_id bigint NOT NULL)", []),
        ]).forEach { _ = try $0.get() }
        return (server, try PostgresLinkTests.Rig(server.socketConnectionString, timeoutMilliseconds: 5000))
    }

    /// Runs `body` as a transaction on the rig's loop and waits for its outcome.
    private static func transaction(_ rig: PostgresLinkTests.Rig, _ body: @escaping @Sendable (PostgresTransaction) -> Void) -> Result<Void, PostgresError> {
        let outcome = Mutex<Result<Void, PostgresError>?>(nil)
        rig.onLoop { link in link.transaction(body) { result in outcome.withLock { $0 = result } } }
        let deadline = TestClient.now() + 10
        while outcome.withLock({ $0 }) == nil && TestClient.now() < deadline { usleep(5_000) }
        return outcome.withLock { $0 } ?? .failure(PostgresError(.connection, message: "no outcome within 10 s"))
    }

    private static func count(_ server: PostgresServer, _ table: String) throws -> String? {
        try PostgresConnection(server.socketConnectionString).runBlocking("SELECT count(*) FROM \(table)").rows.first?.first ?? nil
    }

    /// A note and, from its INSERT's answer, the change that names it: both committed together.
    @Test(.timeLimit(.minutes(1)))
    func aStatementFromAnEarlierAnswerCommitsWithIt() throws {
        let (server, rig) = try Self.setUp()
        let outcome = Self.transaction(rig) { transaction in
            transaction.execute("INSERT INTO notes (title) VALUES ($1) RETURNING id", ["first"]) { inserted in
                let id = (try? inserted.get())?.rows.first?.first ?? nil
                transaction.execute("INSERT INTO changes (note_id) VALUES ($1)", [id]) { _ in }
            }
        }
        #expect((try? outcome.get()) != nil, "\(outcome)")
        #expect(try Self.count(server, "notes") == "1" && Self.count(server, "changes") == "1")
    }

    /// The second INSERT breaks the unique title: the transaction fails with its SQLSTATE, and the first INSERT is
    /// rolled back with it.
    @Test(.timeLimit(.minutes(1)))
    func theFirstFailureRollsEverythingBack() throws {
        let (server, rig) = try Self.setUp()
        let outcome = Self.transaction(rig) { transaction in
            transaction.execute("INSERT INTO notes (title) VALUES ('same')") { _ in }
            transaction.execute("INSERT INTO notes (title) VALUES ('same')") { _ in }
            transaction.execute("INSERT INTO changes (note_id) VALUES (1)") { _ in }
        }
        guard case .failure(let error) = outcome else {
            Issue.record("committed: \(outcome)")
            return
        }
        #expect(error.sqlState == "23505", "\(error)")
        #expect(try Self.count(server, "notes") == "0" && Self.count(server, "changes") == "0")
        #expect((try? Self.transaction(rig) { $0.execute("INSERT INTO notes (title) VALUES ('after')") { _ in } }.get()) != nil,
                "the link goes on")
    }

    /// While a transaction is open (its statement sleeps), a plain statement and a second transaction sent on the same
    /// link wait for it: the count sees its row, committed, and the second transaction runs after it, not inside it.
    @Test(.timeLimit(.minutes(1)))
    func theLinkHoldsOtherStatementsUntilTheTransactionEnds() throws {
        let (server, rig) = try Self.setUp()
        let events = Mutex<[String]>([])
        rig.onLoop { link in
            link.transaction({ transaction in
                transaction.execute("INSERT INTO notes (title) VALUES ('slow')") { _ in }
                transaction.execute("SELECT pg_sleep(0.2)") { _ in }
            }, completion: { outcome in events.withLock { $0.append("first \((try? outcome.get()) != nil ? "committed" : "failed \(outcome)")") } })
            link.execute("SELECT count(*) FROM notes") { outcome in
                let count = (try? outcome.get())?.rows.first?.first ?? nil
                events.withLock { $0.append("count \(count ?? "?")") }
            }
            link.transaction({ transaction in
                transaction.execute("SELECT count(*) FROM notes") { outcome in
                    let count = (try? outcome.get())?.rows.first?.first ?? nil
                    events.withLock { $0.append("second sees \(count ?? "?")") }
                }
            }, completion: { _ in events.withLock { $0.append("second ended") } })
        }
        let deadline = TestClient.now() + 10
        while events.withLock({ $0.count }) < 4 && TestClient.now() < deadline { usleep(5_000) }
        #expect(events.withLock { $0 } == ["first committed", "count 1", "second sees 1", "second ended"], "\(events.withLock { $0 }) \(server.log)")
    }

    /// The server stopping mid-transaction fails it with a connection error; once it is back, transactions commit.
    @Test(.timeLimit(.minutes(1)))
    func aLostConnectionFailsTheTransaction() throws {
        let (server, rig) = try Self.setUp()
        let outcome = Mutex<Result<Void, PostgresError>?>(nil)
        rig.onLoop { link in
            link.transaction({ transaction in
                transaction.execute("INSERT INTO notes (title) VALUES ('lost')") { _ in }
                transaction.execute("SELECT pg_sleep(10)") { _ in }
            }, completion: { result in outcome.withLock { $0 = result } })
        }
        usleep(300_000)
        server.stop()
        let deadline = TestClient.now() + 10
        while outcome.withLock({ $0 }) == nil && TestClient.now() < deadline { usleep(5_000) }
        guard case .failure(let error) = outcome.withLock({ $0 }) else {
            Issue.record("\(String(describing: outcome.withLock { $0 }))")
            return
        }
        #expect(error.kind == .connection, "\(error)")
        try server.start()
        #expect(rig.secondsUntilAnswered(within: 10) != nil)
        #expect((try? Self.transaction(rig) { $0.execute("INSERT INTO notes (title) VALUES ('back')") { _ in } }.get()) != nil)
        #expect(try Self.count(server, "notes") == "1", "only the note after the restart")
    }
}
