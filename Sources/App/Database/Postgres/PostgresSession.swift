import Postgres

/// The statements of one body (a read or a write) as it runs on PostgreSQL without blocking a loop (DESIGN §14).
///
/// The stores' bodies are synchronous, and each statement is a round trip: so a body runs from its start each time an
/// answer arrives. The statements it already asked for are answered from the record, in order, and the first one not
/// yet answered ends the run (`Unanswered`) and is sent; its answer starts the next run. A body must change nothing
/// but its transaction (DataStore's contract for writes says so already), so running it again is safe; a body that
/// swallows `Unanswered` (`try?`) is still seen to need its answer. A body of k statements runs k + 1 times: the cost
/// is the body's own code, small beside a round trip.
final class PostgresSession {
    /// The run stopped at a statement not answered yet.
    struct Unanswered: Error {}

    /// How one run of a body ended.
    enum Attempt<T> {
        /// It returned or threw on its own: this is its outcome.
        case finished(Result<T, any Error>)
        /// It needs the answer to this statement first.
        case needs(sql: String, parameters: [String?])
    }

    /// The statements asked for so far, in order, and their answers.
    private var answers: [(sql: String, answer: Result<PostgresResult, PostgresError>)] = []
    private var cursor = 0
    private var next: (sql: String, parameters: [String?])?
    /// How deep the run is in `isolated` blocks, which name their savepoints by depth.
    var savepointDepth = 0
    /// Whether the body runs in a write's transaction: a row it reads by key to change it is locked (`FOR NO KEY
    /// UPDATE`, which leaves references to it free), so
    /// two writes that check a version (`If-Match`) one after the other cannot both pass, as under SQLite's one writer.
    var locksRows = false
    /// Whether the body wrote `users` (its commit then counts for `UserCache`).
    var changesUsers = false

    /// The answer to `sql` with `parameters`, the next statement of the body.
    /// - Throws: the statement's `PostgresError`, or `Unanswered` when its answer has not come yet.
    func run(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> PostgresResult {
        try run(sql, texts: parameters.map(\.postgresText))
    }

    /// The answer to `sql` with parameters already in PostgreSQL's text format (nil is NULL).
    /// A run that asks for other statements than the last one did has read something besides its answers (a clock
    /// in its control flow, shared state): a read starts over from that statement, a write fails (`Diverged`), since
    /// what it already sent ran in its transaction.
    func run(_ sql: String, texts: [String?]) throws -> PostgresResult {
        if cursor < answers.count {
            guard answers[cursor].sql == sql else {
                if locksRows { throw Diverged(sql: sql) }
                answers.removeSubrange(cursor...)
                return try run(sql, texts: texts)
            }
            cursor += 1
            return try answers[cursor - 1].answer.get()
        }
        if next == nil { next = (sql, texts) }
        throw Unanswered()
    }

    /// A write's body that did not do the same again given the same answers: a programming error, answered 500; its
    /// transaction rolls back.
    struct Diverged: Error, CustomStringConvertible {
        let sql: String
        var description: String { "a write ran again asked for another statement than before (\(sql.prefix(80))): its body must do the same given the same answers" }
    }

    /// The rows of `sql`, each read by `read`.
    func rows<T>(_ sql: String, _ parameters: [any PostgresEncodable] = [], read: (PostgresRow) -> T) throws -> [T] {
        try run(sql, parameters).records.map(read)
    }

    /// The first row of `sql` read by `read`, or nil when it returns none.
    func row<T>(_ sql: String, _ parameters: [any PostgresEncodable] = [], read: (PostgresRow) -> T) throws -> T? {
        try run(sql, parameters).records.first.map(read)
    }

    /// Runs `body` from its start, with the answers so far.
    func attempt<T>(_ body: () throws -> T) -> Attempt<T> {
        cursor = 0
        next = nil
        savepointDepth = 0
        let outcome = Result { try body() }
        if let next { return .needs(sql: next.sql, parameters: next.parameters) }
        return .finished(outcome)
    }

    /// Records the answer to the statement the last run needed.
    func answer(_ outcome: Result<PostgresResult, PostgresError>) {
        answers.append((next?.sql ?? "", outcome))
    }
}
