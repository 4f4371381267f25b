/// A transaction on a `PostgresLink` (DESIGN §14): BEGIN, the statements its owner sends (pipelined, also from the
/// completions of earlier ones), then COMMIT once none is left unanswered, or ROLLBACK if one failed. The link holds
/// every other statement until it ends. An owner that recovers from failed statements itself (with savepoints) opens
/// it `endsExplicitly` and ends it with `end(committing:)`. Loop thread only.
public final class PostgresTransaction {
    private unowned let link: PostgresLink
    private let completion: (Result<Void, PostgresError>) -> Void
    private let endsExplicitly: Bool
    /// Statements sent and not yet answered, BEGIN included.
    private var unanswered = 0
    private var firstFailure: PostgresError?
    private var isBodyDone = false
    private var isEnding = false
    /// What the owner of an explicit transaction asked for: true to commit.
    private var requestedEnd: Bool?

    init(link: PostgresLink, endsExplicitly: Bool, completion: @escaping (Result<Void, PostgresError>) -> Void) {
        self.link = link
        self.endsExplicitly = endsExplicitly
        self.completion = completion
    }

    /// Sends `sql` with `parameters` in the transaction; `completion` gets its answer and may send more.
    public func execute(_ sql: String, _ parameters: [String?] = [], completion: @escaping PostgresConnection.Completion) {
        precondition(!isEnding, "a statement sent after its transaction ended")
        unanswered += 1
        link.send(sql, parameters) { [self] outcome in
            if case .failure(let error) = outcome, firstFailure == nil { firstFailure = error }
            unanswered -= 1
            completion(outcome)
            endIfDone()
        }
    }

    /// BEGIN, then `body`, which sends the first statements.
    func begin(_ body: (PostgresTransaction) -> Void) {
        execute("BEGIN") { _ in }
        body(self)
        isBodyDone = true
        endIfDone()
    }

    /// Ends a transaction opened `endsExplicitly` with COMMIT or ROLLBACK, once its statements are answered. A COMMIT
    /// of a transaction the server has aborted (a failed statement not rolled back to a savepoint) is answered
    /// `ROLLBACK`: the completion then gets that failure.
    public func end(committing: Bool) {
        precondition(endsExplicitly && requestedEnd == nil, "end(committing:) ends an explicit transaction, once")
        requestedEnd = committing
        endIfDone()
    }

    /// Once the body has run and nothing is left unanswered: the end asked for, or (not `endsExplicitly`) COMMIT, or
    /// ROLLBACK after a failure; the owner learns the outcome, then the link sends what it held.
    private func endIfDone() {
        guard isBodyDone, unanswered == 0, !isEnding else { return }
        if endsExplicitly {
            guard let committing = requestedEnd else { return }
            finish(committing ? "COMMIT" : "ROLLBACK", failure: nil)
        } else {
            finish(firstFailure == nil ? "COMMIT" : "ROLLBACK", failure: firstFailure)
        }
    }

    private func finish(_ statement: String, failure: PostgresError?) {
        isEnding = true
        link.send(statement) { [self] outcome in
            var result: Result<Void, PostgresError> = failure.map { .failure($0) } ?? outcome.map { _ in () }
            if statement == "COMMIT", case .success(let answer) = outcome, answer.command == "ROLLBACK" {
                result = .failure(PostgresError(.statement, sqlState: "25P02", message: "the transaction was aborted by a failed statement; it rolled back"))
            }
            link.transactionEnded()
            completion(result)
        }
    }
}
