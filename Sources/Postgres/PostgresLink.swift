public import Net

/// A loop's lasting link to PostgreSQL (DESIGN §14, failure behaviour): one `PostgresLoopConnection` at a time, made
/// again after it fails, with a backoff; no statement waits past `statementTimeoutMilliseconds` (the connection is
/// dropped then, failing what it held, and remade); while the server is unreachable, statements fail at once instead
/// of queueing. Loop thread only.
public final class PostgresLink {
    /// How a link waits and retries.
    public struct Settings: Sendable {
        /// The longest a statement may wait for its answer.
        public var statementTimeoutMilliseconds: UInt64 = 5_000
        /// The pause before the first reconnection; each failed one doubles it up to `maximumBackoffMilliseconds`.
        public var firstBackoffMilliseconds: UInt64 = 100
        /// The longest pause between reconnections.
        public var maximumBackoffMilliseconds: UInt64 = 5_000

        /// The defaults above.
        public init() {}
    }

    private let connectionString: String
    private let loop: EventLoop
    private let settings: Settings
    private var connection: PostgresLoopConnection?
    /// The deadlines of the statements sent on `connection`, oldest first (answers come in order).
    private var deadlines: [UInt64] = []
    private var backoff: UInt64
    private var isSweeping = false
    /// Why the last connection ended, while the link waits to reconnect.
    public private(set) var lastFailure: PostgresError?
    /// The channels every connection of the link listens to.
    private var channels: [String] = []
    /// The transaction whose statements the connection is running, if any.
    private var openTransaction: PostgresTransaction?
    /// Statements and transactions that came while a transaction was open, oldest first.
    private var held: [() -> Void] = []

    /// Called on the loop with each notification (`NOTIFY channel, 'payload'`) of a channel the link listens to.
    public var onNotification: ((_ channel: String, _ payload: String) -> Void)?
    /// Called on the loop each time a connection listens to every channel: the first one, once `listen` is answered,
    /// and each one made again after a failure. Notifications sent while no connection listened are lost: a listener
    /// then catches up by reading what it missed (the doorbell's polling fallback).
    public var onListening: (() -> Void)?

    /// A link to `connectionString` on `loop`, connecting at once; call on the loop's thread.
    public init(_ connectionString: String, on loop: EventLoop, settings: Settings = Settings()) {
        self.connectionString = connectionString
        self.loop = loop
        self.settings = settings
        backoff = settings.firstBackoffMilliseconds
        connect()
    }

    /// Whether a connection is made and takes statements (for `/readyz` and `api_database_up`).
    public var isUp: Bool { connection?.isReady ?? false }

    /// Listens to `channels` (identifiers: lowercase letters, digits and `_`) on this connection and every later one.
    public func listen(_ channels: [String]) {
        for channel in channels {
            precondition(channel.first.map { $0.isLetter || $0 == "_" } == true
                         && channel.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }, "a channel is an identifier")
        }
        self.channels += channels
        if connection != nil { sendListens(channels, through: execute) }
    }

    /// Sends `sql` with `parameters`; `completion` runs on the loop with the answer, or with a `.connection` error when
    /// the server is unreachable now or the answer did not come in time. While a transaction is open on the link, the
    /// statement waits for its end (sent meanwhile, it would become part of it).
    public func execute(_ sql: String, _ parameters: [String?] = [], completion: @escaping PostgresConnection.Completion) {
        guard openTransaction == nil else { return held.append { [self] in send(sql, parameters, completion: completion) } }
        send(sql, parameters, completion: completion)
    }

    /// Runs a transaction: `body` gets it at once, or when the link's open transaction ends, and sends its statements
    /// with `PostgresTransaction.execute`, also from their completions (a statement that needs an earlier one's answer).
    /// Once none is left unanswered it commits, or rolls back if one failed; `completion` then gets the outcome. A
    /// link that is down fails the transaction at once, before `body` runs. One that `endsExplicitly` ends only with
    /// `PostgresTransaction.end(committing:)`.
    public func transaction(endsExplicitly: Bool = false, _ body: @escaping (PostgresTransaction) -> Void,
                            completion: @escaping (Result<Void, PostgresError>) -> Void) {
        guard openTransaction == nil else {
            return held.append { [self] in transaction(endsExplicitly: endsExplicitly, body, completion: completion) }
        }
        guard connection != nil else { return send("BEGIN") { completion($0.map { _ in () }) } }   // fails at once, saying why
        let opened = PostgresTransaction(link: self, endsExplicitly: endsExplicitly, completion: completion)
        openTransaction = opened
        opened.begin(body)
    }

    /// Called by the open transaction once its COMMIT or ROLLBACK is answered: what waited for it goes, in order,
    /// until one of them opens a transaction in turn.
    func transactionEnded() {
        openTransaction = nil
        while openTransaction == nil, !held.isEmpty { held.removeFirst()() }
    }

    /// Sends at once, whatever is open: the open transaction's own statements come through here.
    func send(_ sql: String, _ parameters: [String?] = [], completion: @escaping PostgresConnection.Completion) {
        guard let connection else {
            return completion(.failure(PostgresError(.connection, message: "PostgreSQL is unreachable: \(lastFailure?.message ?? "reconnecting")")))
        }
        deadlines.append(MonotonicClock.milliseconds() + settings.statementTimeoutMilliseconds)
        connection.execute(sql, parameters) { [self] outcome in
            if !deadlines.isEmpty { deadlines.removeFirst() }
            switch outcome {
            case .success: backoff = settings.firstBackoffMilliseconds
            case .failure(let error): if error.kind == .connection { lost(error) }
            }
            completion(outcome)
        }
        sweepSoon()
    }

    private func connect() {
        do {
            let made = try PostgresLoopConnection(connectionString, on: loop)
            made.onNotification = { [weak self] channel, payload in self?.onNotification?(channel, payload) }
            made.onEnd = { [weak self] error in self?.lost(error) }
            connection = made
            sendListens(channels, through: send)
        } catch {
            lastFailure = error
            reconnectLater()
        }
    }

    /// Sends a LISTEN for each of `channels` through `sending` (`send` on a new connection, `execute` on one that may
    /// hold a transaction); once the last is answered, tells `onListening`.
    private func sendListens(_ channels: [String], through sending: (String, [String?], @escaping PostgresConnection.Completion) -> Void) {
        for (index, channel) in channels.enumerated() {
            sending("LISTEN \(channel)", []) { [weak self] outcome in
                guard let self, case .success = outcome, index == channels.count - 1 else { return }
                onListening?()
            }
        }
    }

    /// The connection failed (or was dropped): forget it, and make another after the backoff.
    private func lost(_ error: PostgresError) {
        guard let failed = connection else { return }
        connection = nil
        lastFailure = error
        failed.close()
        deadlines = []
        reconnectLater()
    }

    private func reconnectLater() {
        let pause = backoff
        backoff = min(backoff * 2, settings.maximumBackoffMilliseconds)
        loop.schedule(afterMilliseconds: pause) { [self] in
            if connection == nil { connect() }
        }
    }

    /// Checks the oldest statement's deadline every tenth of the timeout while any is waiting.
    private func sweepSoon() {
        guard !isSweeping else { return }
        isSweeping = true
        loop.schedule(afterMilliseconds: max(10, settings.statementTimeoutMilliseconds / 10)) { [self] in
            isSweeping = false
            guard let oldest = deadlines.first else { return }
            if oldest <= MonotonicClock.milliseconds() {
                lost(PostgresError(.connection, message: "no answer within \(settings.statementTimeoutMilliseconds) ms"))
            } else {
                sweepSoon()
            }
        }
    }
}
