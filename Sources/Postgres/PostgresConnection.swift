import CLibPQ
import Glibc

/// One connection to PostgreSQL that never blocks its caller (DESIGN §14): libpq in non-blocking and pipeline mode,
/// its socket watched by whoever owns the connection (an event loop: `socket`, `wantsToWrite`, `handleEvents`).
///
/// Statements go out as soon as they are asked for, each followed by a sync point, so many can be in flight on one
/// connection and each is its own implicit transaction: an error fails that statement only
/// (https://www.postgresql.org/docs/15/libpq-pipeline-mode.html). Answers come back in order, each to its completion,
/// called from `handleEvents`. Not thread-safe: one owner thread, as with Storage's `Database`.
public final class PostgresConnection {
    /// What a statement's completion receives.
    public typealias Completion = (Result<PostgresResult, PostgresError>) -> Void

    private enum Phase {
        case connecting(PostgresPollingStatusType)
        case ready
        case closed(PostgresError)
    }

    /// A statement sent and not yet answered: its outcome so far, until its sync point arrives.
    private struct InFlight {
        let completion: Completion
        /// A statement's preparation, before the statement itself.
        let isPreparation: Bool
        var outcome: Result<PostgresResult, PostgresError>?

        init(isPreparation: Bool = false, _ completion: @escaping Completion) {
            self.isPreparation = isPreparation
            self.completion = completion
        }
    }

    private let connection: OpaquePointer
    private var phase: Phase
    private var inFlight: [InFlight] = []
    /// Statements asked for while connecting, sent once the connection is ready.
    private var waiting: [(sql: String, parameters: [String?], completion: Completion)] = []
    private var hasUnsentBytes = false
    /// The names of the statements prepared on this connection, by their SQL.
    private var prepared: [String: String] = [:]
    /// Statements prepared so far, failed ones too: each name is used once.
    private var preparations = 0

    /// Called with each notification (`NOTIFY channel, 'payload'`) that arrives for a channel this connection
    /// listens to (`LISTEN channel`), as its socket is read.
    public var onNotification: ((_ channel: String, _ payload: String) -> Void)?
    /// Called once when the connection ends (lost, refused or closed), after the statements it held have failed.
    public var onEnd: ((PostgresError) -> Void)?

    /// Starts connecting to the server `connectionString` names (libpq's `key=value` or `postgres://` syntax, with
    /// the `PG*` environment variables for what it leaves out). The connection goes on in `handleEvents`.
    /// - Throws: `PostgresError` (`.connection`) when the string does not parse or libpq cannot start.
    public init(_ connectionString: String) throws(PostgresError) {
        guard let started = PQconnectStart(connectionString) else {
            throw PostgresError(.connection, message: "out of memory starting a connection")
        }
        guard PQstatus(started) != CONNECTION_BAD else {
            let error = Self.connectionError(started)
            PQfinish(started)
            throw error
        }
        // The server's notices ("relation ... already exists, skipping") are for a console, not for the output of an
        // `api` command: libpq's default processor writes them to stderr.
        PQsetNoticeProcessor(started, { _, _ in }, nil)
        connection = started
        phase = .connecting(PGRES_POLLING_WRITING)   // PQconnectPoll's contract: first wait until the socket is writable
    }

    deinit {
        PQfinish(connection)
    }

    /// The socket to watch; it may change while connecting (libpq tries each address in turn).
    public var socket: Int32 { PQsocket(connection) }

    /// Whether the owner should wait for the socket to be writable, besides readable.
    public var wantsToWrite: Bool {
        switch phase {
        case .connecting(let polling): polling == PGRES_POLLING_WRITING
        case .ready: hasUnsentBytes
        case .closed: false
        }
    }

    /// Whether the connection is made and takes statements.
    public var isReady: Bool {
        if case .ready = phase { true } else { false }
    }

    /// Why the connection ended, once it has.
    public var failure: PostgresError? {
        if case .closed(let error) = phase { error } else { nil }
    }

    /// Statements sent or waiting, not yet answered.
    public var pendingCount: Int { inFlight.count(where: { !$0.isPreparation }) + waiting.count }

    /// Sends `sql` with `parameters` (`$1`, `$2`... in PostgreSQL's text format; nil is NULL); `completion` gets the
    /// rows or the error, from a later `handleEvents` (or at once, when the connection has ended).
    public func execute(_ sql: String, _ parameters: [String?] = [], completion: @escaping Completion) {
        switch phase {
        case .closed(let error): completion(.failure(error))
        case .connecting: waiting.append((sql, parameters, completion))
        case .ready: send(sql, parameters, completion)
        }
    }

    /// Moves the connection on after its socket became readable or writable (or both).
    public func handleEvents(readable: Bool, writable: Bool) {
        switch phase {
        case .connecting: continueConnecting()
        case .ready:
            if writable && hasUnsentBytes { flush() }
            if readable { readAnswers() }
        case .closed: break
        }
    }

    /// Ends the connection; statements not yet answered fail.
    public func close() {
        end(PostgresError(.connection, message: "the connection was closed"))
    }

    // MARK: - Connecting

    private func continueConnecting() {
        let polling = PQconnectPoll(connection)
        switch polling {
        case PGRES_POLLING_OK: becomeReady()
        case PGRES_POLLING_FAILED: end(Self.connectionError(connection))
        default: phase = .connecting(polling)
        }
    }

    private func becomeReady() {
        guard PQsetnonblocking(connection, 1) == 0, PQenterPipelineMode(connection) == 1 else {
            return end(Self.connectionError(connection))
        }
        phase = .ready
        let queued = waiting
        waiting = []
        for statement in queued { send(statement.sql, statement.parameters, statement.completion) }
    }

    // MARK: - Sending

    /// Sends `sql`: by the name it was prepared under when it is a query this connection keeps prepared (parsed and
    /// planned once, https://www.postgresql.org/docs/15/libpq-exec.html#LIBPQ-PQPREPARE), else unnamed. A statement
    /// seen for the first time is prepared in the same pipeline, with a sync point of its own; if that fails, the
    /// statement gets the preparation's error (a syntax error, rather than "prepared statement does not exist").
    private func send(_ sql: String, _ parameters: [String?], _ completion: @escaping Completion) {
        var name = prepared[sql]
        var preparation: PostgresError?
        if name == nil, Self.isPreparable(sql), prepared.count < Self.preparedLimit {
            preparations += 1
            let made = "s\(preparations)"
            guard PQsendPrepare(connection, made, sql, Int32(parameters.count), nil) == 1, PQpipelineSync(connection) == 1 else {
                return refused(completion)
            }
            prepared[sql] = made
            name = made
            inFlight.append(InFlight(isPreparation: true) { [weak self] outcome in
                guard case .failure(let error) = outcome else { return }
                preparation = error
                self?.prepared[sql] = nil
            })
        }
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let sent = copies.map { UnsafePointer<CChar>($0) }.withUnsafeBufferPointer { values in
            if let name { PQsendQueryPrepared(connection, name, Int32(values.count), values.baseAddress, nil, nil, 0) }
            else { PQsendQueryParams(connection, sql, Int32(values.count), nil, values.baseAddress, nil, nil, 0) }
        }
        guard sent == 1, PQpipelineSync(connection) == 1 else { return refused(completion) }
        inFlight.append(InFlight { outcome in completion(preparation.map { .failure($0) } ?? outcome) })
        flush()
    }

    /// A statement libpq refused before queueing it (a bad parameter count, a lost connection): it fails alone.
    private func refused(_ completion: Completion) {
        completion(.failure(Self.connectionError(connection)))
        if PQstatus(connection) == CONNECTION_BAD { end(Self.connectionError(connection)) }
    }

    /// Queries are prepared; commands (`BEGIN`, `SAVEPOINT`, `LISTEN`, DDL) run as they are.
    private static func isPreparable(_ sql: String) -> Bool {
        ["SELECT ", "INSERT ", "UPDATE ", "DELETE ", "WITH "].contains { sql.hasPrefix($0) }
    }

    /// The most statements a connection keeps prepared; past it a new one runs unnamed (a list's SQL varies with its
    /// filter and sort).
    private static let preparedLimit = 512

    /// Writes what libpq holds; the rest waits for writability (PQflush in non-blocking mode, libpq-async.html).
    private func flush() {
        switch PQflush(connection) {
        case 0: hasUnsentBytes = false
        case 1: hasUnsentBytes = true
        default: end(Self.connectionError(connection))
        }
    }

    // MARK: - Answers

    /// Takes what arrived and completes every statement whose answer is whole: its results, the end-of-results
    /// marker (nil), then its sync point.
    private func readAnswers() {
        guard PQconsumeInput(connection) == 1 else { return end(Self.connectionError(connection)) }
        deliverNotifications()
        var markersInARow = 0
        while !inFlight.isEmpty, PQisBusy(connection) == 0, markersInARow < 2 {
            guard let result = PQgetResult(connection) else {
                markersInARow += 1
                continue
            }
            markersInARow = 0
            record(result)
            PQclear(result)
        }
        deliverNotifications()      // those that came with the answers
        if PQstatus(connection) == CONNECTION_BAD { end(Self.connectionError(connection)) }
    }

    private func deliverNotifications() {
        while let notification = PQnotifies(connection) {
            let channel = String(cString: notification.pointee.relname), payload = String(cString: notification.pointee.extra)
            PQfreemem(notification)
            onNotification?(channel, payload)
        }
    }

    private func record(_ result: OpaquePointer) {
        switch PQresultStatus(result) {
        case PGRES_PIPELINE_SYNC:
            let answered = inFlight.removeFirst()
            answered.completion(answered.outcome ?? .failure(PostgresError(.statement, message: "no result before the sync point")))
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
            inFlight[0].outcome = .success(Self.rows(of: result))
        case PGRES_PIPELINE_ABORTED:
            inFlight[0].outcome = .failure(PostgresError(.statement, message: "not run: an earlier statement of its pipeline failed"))
        default:
            inFlight[0].outcome = .failure(Self.statementError(result))
        }
    }

    private static func rows(of result: OpaquePointer) -> PostgresResult {
        let columnCount = PQnfields(result), rowCount = PQntuples(result)
        let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        let rows = (0..<rowCount).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
        return PostgresResult(columns: columns, rows: rows, command: String(cString: PQcmdStatus(result)))
    }

    // MARK: - Ending

    /// Fails every statement not yet answered with `error`; nothing more goes through the connection.
    private func end(_ error: PostgresError) {
        if case .closed = phase { return }
        phase = .closed(error)
        let unanswered = inFlight.map(\.completion) + waiting.map(\.completion)
        inFlight = []
        waiting = []
        hasUnsentBytes = false
        for completion in unanswered { completion(.failure(error)) }
        onEnd?(error)
    }

    private static func connectionError(_ connection: OpaquePointer) -> PostgresError {
        PostgresError(.connection, message: oneLine(String(cString: PQerrorMessage(connection))))
    }

    private static func statementError(_ result: OpaquePointer) -> PostgresError {
        let field = { (code: Int32) in PQresultErrorField(result, code).map { String(cString: $0) } }
        return PostgresError(.statement, sqlState: field(Int32(UInt8(ascii: "C"))),
                             message: field(Int32(UInt8(ascii: "M"))) ?? oneLine(String(cString: PQresultErrorMessage(result))))
    }

    /// libpq's messages end with a newline and may hold several lines.
    private static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
