/// A transaction on a `PostgresLink` (DESIGN §14): BEGIN, the statements its owner sends (pipelined, also from the
/// completions of earlier ones), then COMMIT once none is left unanswered, or ROLLBACK if one failed. The link holds
/// every other statement until it ends. Loop thread only.
public final class PostgresTransaction {
    private unowned let link: PostgresLink
    private let completion: (Result<Void, PostgresError>) -> Void
    /// Statements sent and not yet answered, BEGIN included.
    private var unanswered = 0
    private var firstFailure: PostgresError?
    private var isBodyDone = false
    private var isEnding = false

    init(link: PostgresLink, completion: @escaping (Result<Void, PostgresError>) -> Void) {
        self.link = link
        self.completion = completion
    }

    /// Sends `sql` with `parameters` in the transaction; `completion` gets its answer and may send more.
    public func execute(_ sql: String, _ parameters: [String?] = [], completion: @escaping PostgresConnection.Completion) {
        precondition(!isEnding, "a statement sent after its transaction ended")
        unanswered += 1
        link.send(sql, parameters) { [self] outcome in
            if case .failure(let error) = outcome, firstFailure == nil { firstFailure = error }
            completion(outcome)
            unanswered -= 1
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

    /// COMMIT once nothing is left unanswered, or ROLLBACK after a failure; the owner learns the outcome, then the
    /// link sends what it held.
    private func endIfDone() {
        guard isBodyDone, unanswered == 0, !isEnding else { return }
        isEnding = true
        let failure = firstFailure
        link.send(failure == nil ? "COMMIT" : "ROLLBACK") { [self] outcome in
            let result: Result<Void, PostgresError> = failure.map { .failure($0) } ?? outcome.map { _ in () }
            link.transactionEnded()
            completion(result)
        }
    }
}
