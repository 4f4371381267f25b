import Glibc
import Net
import Synchronization

/// Where a running `api serve` hands its listening sockets to a successor started with the same configuration
/// (DESIGN §13, zero-downtime restart): a Unix socket in the data directory, reachable by the same user only.
///
/// The exchange, one line each way: the successor asks `TAKEOVER 1`; this server answers `LISTENERS host port count`
/// with the sockets attached (SCM_RIGHTS); the successor starts serving on them (both accept from the same queues
/// meanwhile, so no connection waits) and says `READY`; this server then stops. The connection stays open until this
/// process exits, which tells the successor that no job of ours is still running.
final class HandoverPoint: Sendable {
    /// The socket's file name in the data directory.
    static let fileName = "handover.sock"

    private let path: String
    private let listener: Int32
    private let inode: UInt64
    private let thread = Mutex<OSThread?>(nil)
    /// The successor being answered now, if any: `close()` ends that exchange too, or a successor that never says
    /// READY (one still migrating, or hung) would keep this server from stopping.
    private let answering = Mutex<Int32?>(nil)

    /// Opens the point at `directory/handover.sock` (replacing a predecessor's or a stale one atomically: bound
    /// beside it, then renamed over it) and answers successors on a thread of its own; `handedOver` runs once one
    /// took the sockets. Throws when the socket cannot be made (a path too long for a Unix socket, a read-only
    /// directory): the caller serves on without hand-overs.
    init(directory: String, sockets: [Int32], host: String, port: Int, handedOver: @escaping @Sendable () -> Void) throws(IOError) {
        path = directory + "/" + Self.fileName
        let temporary = path + ".\(getpid())"
        unlink(temporary)
        listener = try UnixSocket.listen(path: temporary)
        guard rename(temporary, path) == 0 else {
            let error = IOError(errno: errno, function: "rename \(temporary)")
            Socket.close(listener)
            unlink(temporary)
            throw error
        }
        inode = Self.inode(of: path) ?? 0
        let offer = "LISTENERS \(host) \(port) \(sockets.count)"
        thread.withLock {
            $0 = OSThread(name: "handover") { [self] in answerSuccessors(offer: offer, sockets: sockets, handedOver: handedOver) }
        }
    }

    /// Stops answering. The socket file is removed unless a successor's has replaced it (after a hand-over it has).
    func close() {
        Glibc.shutdown(listener, Int32(SHUT_RDWR))    // wakes the blocked accept
        answering.withLock { connection in if let connection { Glibc.shutdown(connection, Int32(SHUT_RDWR)) } }
        thread.withLock { $0?.join() }
        Socket.close(listener)
        if Self.inode(of: path) == inode { unlink(path) }
    }

    /// Answers successors one at a time until one takes the sockets or the point closes.
    private func answerSuccessors(offer: String, sockets: [Int32], handedOver: @Sendable () -> Void) {
        while let connection = try? UnixSocket.accept(listener) {
            answering.withLock { $0 = connection }
            let tookOver = Self.answer(connection, offer: offer, sockets: sockets)
            answering.withLock { $0 = nil }
            if tookOver {
                handedOver()
                return      // the successor's connection stays open until this process exits: that is its signal
            }
            Socket.close(connection)
        }
    }

    /// Offers the sockets to one successor; true once it has started serving on them.
    private static func answer(_ connection: Int32, offer: String, sockets: [Int32]) -> Bool {
        guard UnixSocket.peerUser(connection) == geteuid() else { return false }
        UnixSocket.setReceiveTimeout(connection, milliseconds: 5_000)
        guard (try? UnixSocket.receiveLine(connection))?.line == "TAKEOVER 1",
              (try? UnixSocket.sendLine(connection, offer, descriptors: sockets)) != nil else { return false }
        // Opening the database may migrate it: the successor says READY when it serves, however long that took.
        UnixSocket.setReceiveTimeout(connection, milliseconds: 0)
        return (try? UnixSocket.receiveLine(connection))?.line == "READY"
    }

    private static func inode(of path: String) -> UInt64? {
        var status = stat()
        return stat(path, &status) == 0 ? UInt64(status.st_ino) : nil
    }
}
