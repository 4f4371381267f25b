import Postgres

/// Bodies run on PostgreSQL by a thread that may wait: start-up, the admin commands, and the store before the event
/// loops are attached. One connection, made again after it fails; one body at a time (the owner holds a lock).
final class PostgresBlockingRunner {
    private let connectionString: String
    private let timeoutMilliseconds: Int
    private var connection: PostgresConnection?

    /// A runner for `connectionString` whose statements wait at most `timeoutMilliseconds` each.
    init(_ connectionString: String, timeoutMilliseconds: Int) {
        self.connectionString = connectionString
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// Runs `body` to its end in `session`, each statement as a round trip; inside BEGIN and COMMIT (ROLLBACK when it
    /// throws) when `isTransaction`.
    /// - Throws: what `body` throws, or the `PostgresError` of a statement, of the commit, or of the connection.
    func run<T>(_ body: (PostgresSession) throws -> T, in session: PostgresSession = PostgresSession(), isTransaction: Bool) throws -> T {
        let connection = try connected()
        session.locksRows = isTransaction
        if isTransaction { try statement(connection, "BEGIN") }
        while true {
            switch session.attempt({ try body(session) }) {
            case .needs(let sql, let parameters):
                session.answer(Result { () throws(PostgresError) in try statement(connection, sql, parameters) })
            case .finished(let outcome):
                if isTransaction { try end(connection, committing: (try? outcome.get()) != nil) }
                return try outcome.get()
            }
        }
    }

    private func end(_ connection: PostgresConnection, committing: Bool) throws(PostgresError) {
        let answer = try statement(connection, committing ? "COMMIT" : "ROLLBACK")
        if committing && answer.command == "ROLLBACK" {
            throw PostgresError(.statement, sqlState: "25P02", message: "the transaction was aborted by a failed statement; it rolled back")
        }
    }

    /// One statement and its answer; a lost connection is forgotten, so the next body makes another.
    @discardableResult
    private func statement(_ connection: PostgresConnection, _ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> PostgresResult {
        do {
            return try connection.runBlocking(sql, parameters, timeoutMilliseconds: timeoutMilliseconds)
        } catch {
            if error.kind == .connection { self.connection = nil }
            throw error
        }
    }

    private func connected() throws(PostgresError) -> PostgresConnection {
        if let connection, connection.failure == nil { return connection }
        let made = try PostgresConnection(connectionString)
        connection = made
        return made
    }

    /// Closes the connection.
    func close() {
        connection?.close()
        connection = nil
    }
}
