import CLinux
public import Net

/// A `PostgresConnection` on an event loop (DESIGN §14): its socket in the loop's epoll, watched for writability only
/// while libpq holds bytes the kernel would not take, so the loop never waits for PostgreSQL. Completions run on the
/// loop's thread. Loop thread only, like the HTTP connections it will serve.
public final class PostgresLoopConnection: IOHandler {
    private let loop: EventLoop
    private let connection: PostgresConnection
    /// The descriptor and events registered now, if any.
    private var registered: (fd: Int32, events: UInt32)?

    /// Starts connecting to `connectionString` on `loop`; call on the loop's thread.
    /// - Throws: `PostgresError` when libpq cannot start (a connection string that does not parse).
    public init(_ connectionString: String, on loop: EventLoop) throws(PostgresError) {
        connection = try PostgresConnection(connectionString)
        self.loop = loop
        watch()
    }

    /// Called on the loop with each notification of a channel the connection listens to.
    public var onNotification: ((_ channel: String, _ payload: String) -> Void)? {
        get { connection.onNotification }
        set { connection.onNotification = newValue }
    }

    /// Called on the loop once the connection ends (`PostgresConnection.onEnd`).
    public var onEnd: ((PostgresError) -> Void)? {
        get { connection.onEnd }
        set { connection.onEnd = newValue }
    }

    /// Whether the connection is made and takes statements.
    public var isReady: Bool { connection.isReady }

    /// Why the connection ended, once it has.
    public var failure: PostgresError? { connection.failure }

    /// Sends `sql` with `parameters`; `completion` runs on the loop once it is answered (`PostgresConnection.execute`).
    public func execute(_ sql: String, _ parameters: [String?] = [], completion: @escaping PostgresConnection.Completion) {
        connection.execute(sql, parameters, completion: completion)
        watch()
    }

    public func handleEvents(_ events: UInt32) {
        let readable = events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
        connection.handleEvents(readable: readable, writable: events & EPOLLOUT.rawValue != 0)
        watch()
    }

    /// Ends the connection (statements not yet answered fail) and stops watching its socket.
    public func close() {
        connection.close()
        watch()
    }

    /// Brings the registration in line with what the connection waits for. libpq may replace its socket while it
    /// connects (one address after another) and drops it when the connection ends: a descriptor it closed has left
    /// the epoll set with it, so only the handler's slot is cleared then.
    private func watch() {
        let fd = connection.failure == nil ? connection.socket : -1
        let events = EPOLLIN.rawValue | (connection.wantsToWrite ? EPOLLOUT.rawValue : 0)
        if let current = registered, current.fd == fd {
            guard current.events != events else { return }
            if (try? loop.modify(fd, events: events)) != nil { return registered = (fd, events) }
        }
        if let current = registered { loop.deregister(current.fd) }
        registered = nil
        guard fd >= 0 else { return }
        do {
            try loop.register(fd, events: events, handler: self)
            registered = (fd, events)
        } catch {
            connection.close()   // an epoll that refuses a socket: nothing could ever be read from it
        }
    }
}
