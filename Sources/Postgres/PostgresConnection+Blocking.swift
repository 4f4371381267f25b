import Glibc

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
        var clock = timespec()
        clock_gettime(CLOCK_MONOTONIC, &clock)
        let deadline = Int(clock.tv_sec) * 1000 + Int(clock.tv_nsec) / 1_000_000 + timeoutMilliseconds
        while answered < statements.count {
            clock_gettime(CLOCK_MONOTONIC, &clock)
            let left = deadline - (Int(clock.tv_sec) * 1000 + Int(clock.tv_nsec) / 1_000_000)
            guard left > 0 else {
                close()
                throw PostgresError(.connection, message: "no answer within \(timeoutMilliseconds) ms")
            }
            var watched = pollfd(fd: socket, events: Int16(POLLIN) | (wantsToWrite ? Int16(POLLOUT) : 0), revents: 0)
            _ = poll(&watched, 1, Int32(min(left, 1000)))
            handleEvents(readable: watched.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0, writable: watched.revents & Int16(POLLOUT) != 0)
        }
        return outcomes.map { $0! }   // every completion has run
    }

    /// Runs one statement and waits for it (`runBlocking(_:timeoutMilliseconds:)`).
    /// - Throws: `PostgresError`, the statement's or the connection's.
    @discardableResult
    public func runBlocking(_ sql: String, _ parameters: [String?] = [], timeoutMilliseconds: Int = 30_000) throws(PostgresError) -> PostgresResult {
        try runBlocking([(sql, parameters)], timeoutMilliseconds: timeoutMilliseconds)[0].get()
    }
}
