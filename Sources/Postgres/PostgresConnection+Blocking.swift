import Glibc
import Net

extension PostgresConnection {
    /// Sends `statements` at once (each `(sql, parameters)`, pipelined) and waits for every answer, polling the
    /// socket on the calling thread: for start-up and the admin commands (migrations), never on an event loop.
    /// - Throws: `PostgresError` (`.connection`) when the connection ends or `timeoutMilliseconds` pass first; a
    ///   statement's own error is in its result.
    public func runBlocking(_ statements: [(sql: String, parameters: [String?])],
                            timeoutMilliseconds: Int = 30_000) throws(PostgresError) -> [Result<PostgresResult, PostgresError>] {
        var outcomes = [Result<PostgresResult, PostgresError>?](repeating: nil, count: statements.count)
        var answered = 0
        for (index, statement) in statements.enumerated() {
            execute(statement.sql, statement.parameters) { outcome in
                outcomes[index] = outcome
                answered += 1
            }
        }
        let deadline = MonotonicClock.milliseconds() + UInt64(timeoutMilliseconds)
        while answered < statements.count {
            let now = MonotonicClock.milliseconds()
            guard now < deadline else {
                close()
                throw PostgresError(.connection, message: "no answer within \(timeoutMilliseconds) ms")
            }
            waitForEvents(upTo: Int32(min(deadline - now, 1000)))
        }
        return outcomes.map { $0! }   // every completion has run
    }

    /// Waits at most `milliseconds` for the socket to be ready for what the connection wants (poll(2) on the calling
    /// thread), then lets it handle what came: one step of a blocking use, never on an event loop.
    public func waitForEvents(upTo milliseconds: Int32) {
        var watched = pollfd(fd: socket, events: Int16(POLLIN) | (wantsToWrite ? Int16(POLLOUT) : 0), revents: 0)
        _ = poll(&watched, 1, milliseconds)
        handleEvents(readable: watched.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0, writable: watched.revents & Int16(POLLOUT) != 0)
    }

    /// Runs one statement and waits for it (`runBlocking(_:timeoutMilliseconds:)`).
    /// - Throws: `PostgresError`, the statement's or the connection's.
    @discardableResult
    public func runBlocking(_ sql: String, _ parameters: [String?] = [], timeoutMilliseconds: Int = 30_000) throws(PostgresError) -> PostgresResult {
        try runBlocking([(sql, parameters)], timeoutMilliseconds: timeoutMilliseconds)[0].get()
    }
}
