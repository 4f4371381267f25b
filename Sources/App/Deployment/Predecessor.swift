import Glibc
import Net

/// The `api serve` that served this configuration's data directory before us, seen from its successor: its listening
/// sockets, taken over through its hand-over point (`HandoverPoint`), and the connection that tells when it is gone.
final class Predecessor: Sendable {
    /// The listening sockets it handed over, now ours too.
    let listeners: [Int32]
    /// The port they listen on.
    let port: Int
    private let connection: Int32

    private init(listeners: [Int32], port: Int, connection: Int32) {
        self.listeners = listeners
        self.port = port
        self.connection = connection
    }

    /// Asks the server at `directory`'s hand-over point for its listening sockets; nil when none serves there (no
    /// socket, or a stale one). Throws when one serves on another address than `host:port` (port 0: any), since two
    /// servers on one data directory would each run its jobs.
    static func takeOver(directory: String, host: String, port: Int) throws(AppError) -> Predecessor? {
        let path = directory + "/" + HandoverPoint.fileName
        guard let connection = try? UnixSocket.connect(path: path) else { return nil }
        UnixSocket.setReceiveTimeout(connection, milliseconds: 5_000)
        guard (try? UnixSocket.sendLine(connection, "TAKEOVER 1")) != nil,
              let offer = try? UnixSocket.receiveLine(connection, maxDescriptors: 64) else {
            Socket.close(connection)
            return nil      // it is stopping: its sockets are closing, bind our own
        }
        let fields = offer.line.split(separator: " ").map(String.init)
        guard fields.count == 4, fields[0] == "LISTENERS", let offeredPort = Int(fields[2]), Int(fields[3]) == offer.descriptors.count,
              !offer.descriptors.isEmpty else {
            offer.descriptors.forEach(Socket.close)
            Socket.close(connection)
            throw AppError("\(path): unexpected hand-over answer '\(offer.line)'")
        }
        guard port == 0 || (offeredPort == port && fields[1] == host) else {
            offer.descriptors.forEach(Socket.close)
            Socket.close(connection)
            throw AppError("another api serve (\(fields[1]):\(offeredPort)) uses this data directory; stop it, or start this one on the same host and port to take over from it")
        }
        return Predecessor(listeners: offer.descriptors, port: offeredPort, connection: connection)
    }

    /// Tells it that we serve on its sockets: it stops accepting, drains and exits.
    func release() {
        try? UnixSocket.sendLine(connection, "READY")
    }

    /// Gives its sockets back unused (we failed to start): it serves on.
    func abandon() {
        listeners.forEach(Socket.close)
        Socket.close(connection)
    }

    /// Blocks until its process has exited (its end of the connection closes with it).
    func waitUntilGone() {
        UnixSocket.setReceiveTimeout(connection, milliseconds: 0)
        while (try? UnixSocket.receiveLine(connection)) != nil {}
        Socket.close(connection)
    }
}
