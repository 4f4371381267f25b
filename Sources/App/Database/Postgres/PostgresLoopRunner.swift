import Net
import Postgres

/// Bodies run on PostgreSQL from one event loop, never blocking it (DESIGN §14): reads on the loop's read link, each
/// statement on its own and pipelined with other requests' statements; writes on its write link, one transaction at a
/// time. Each answer runs the body again (`PostgresSession`) until it finishes. Made and used on its loop's thread.
final class PostgresLoopRunner {
    private let read: PostgresLink
    private let write: PostgresLink

    /// Links to `connectionString` on `loop`, connecting at once; call on the loop's thread.
    init(_ connectionString: String, on loop: EventLoop, settings: PostgresLink.Settings) {
        read = PostgresLink(connectionString, on: loop, settings: settings)
        write = PostgresLink(connectionString, on: loop, settings: settings)
    }

    /// Runs `body` as a read; `completion` gets its outcome on the loop.
    func read<T>(_ body: @escaping (PostgresSession) throws -> T, completion: @escaping (Result<T, any Error>) -> Void) {
        let session = PostgresSession()
        func step() {
            switch session.attempt({ try body(session) }) {
            case .finished(let outcome): completion(outcome)
            case .needs(let sql, let parameters):
                read.execute(sql, parameters) { answer in
                    session.answer(answer)
                    step()
                }
            }
        }
        step()
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws; `completion` gets its
    /// outcome on the loop once the transaction has ended, and the session (what the body changed).
    func write<T>(_ body: @escaping (PostgresSession) throws -> T, completion: @escaping (Result<T, any Error>, PostgresSession) -> Void) {
        let session = PostgresSession()
        session.locksRows = true
        var finished: Result<T, any Error>?
        write.transaction(endsExplicitly: true, { transaction in
            func step() {
                switch session.attempt({ try body(session) }) {
                case .finished(let outcome):
                    finished = outcome
                    transaction.end(committing: (try? outcome.get()) != nil)
                case .needs(let sql, let parameters):
                    transaction.execute(sql, parameters) { answer in
                        session.answer(answer)
                        step()
                    }
                }
            }
            step()
        }, completion: { ended in
            switch (finished, ended) {
            case (let outcome?, .success): completion(outcome, session)
            case (let outcome?, .failure(let error)): completion(outcome.flatMap { _ in .failure(error) }, session)
            case (nil, .failure(let error)): completion(.failure(error), session)
            case (nil, .success): completion(.failure(StoreError.failed), session)
            }
        })
    }
}
