import CLinux
import Glibc
import Net

/// One client TCP connection on an event loop: connects without blocking, sends whatever its owner gives it (queueing
/// what the socket does not take), and hands every read to its owner. Subscribers and the writer's connections
/// speak their protocols on top of it.
final class ClientConnection: IOHandler {
    /// Why a connection ended.
    enum Failure: Equatable {
        case connect(Int32)     // the errno
        case read, write
        case closedByServer
    }

    private let loop: EventLoop
    /// The thread's read buffer, shared by its connections: each read is handed over before the next.
    private let readBuffer: UnsafeMutableRawBufferPointer
    // unowned(unsafe): the owner holds this connection and closes it before it goes; see BenchConnection's worker.
    private unowned(unsafe) let owner: any ClientConnectionOwner
    private var fd: Int32 = -1
    private var isConnecting = false
    /// Bytes the socket has not taken yet.
    private var outbox: [UInt8] = []
    private var watching: UInt32 = 0

    init(loop: EventLoop, readBuffer: UnsafeMutableRawBufferPointer, owner: any ClientConnectionOwner) {
        self.loop = loop
        self.readBuffer = readBuffer
        self.owner = owner
    }

    /// `true` from `open` until the connection ends or is closed.
    var isOpen: Bool { fd >= 0 }

    /// Starts connecting to `address:port`; `connected()` or `ended` follows.
    func open(address: String, port: Int) {
        do {
            fd = try Socket.connect(host: address, port: port)
            watching = EPOLLOUT.rawValue
            try loop.register(fd, events: watching, handler: self)
            isConnecting = true
        } catch {
            if fd >= 0 { Socket.close(fd) }
            fd = -1
            watching = 0
            // Told from a timer, not from inside the owner's own call to open.
            loop.schedule(afterMilliseconds: 0) { [self] in owner.ended(.connect(error.errno)) }
        }
    }

    /// Sends `bytes` after whatever is still queued.
    func send(_ bytes: [UInt8]) {
        guard isOpen else { return }
        outbox.append(contentsOf: bytes)
        if !isConnecting { flush() }
    }

    /// Closes the socket, if open, without telling the owner.
    func close() {
        guard fd >= 0 else { return }
        loop.deregister(fd)
        Socket.close(fd)
        fd = -1
        outbox = []
        watching = 0
    }

    // MARK: - Events

    func handleEvents(_ events: UInt32) {
        if isConnecting {
            isConnecting = false
            let error = Reachability.pendingError(fd)
            guard error == 0, events & EPOLLERR.rawValue == 0 else { return end(.connect(error == 0 ? ECONNREFUSED : error)) }
            owner.connected()
            // What was sent while connecting goes now; flush also sets what to watch.
            return flush()
        }
        if events & EPOLLOUT.rawValue != 0 { flush() }
        if isOpen && events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readAvailable() }
    }

    private func readAvailable() {
        let now = MonotonicClock.nanoseconds()
        while isOpen {
            let result: IOResult<Int>
            do { result = try Socket.read(fd, into: readBuffer) } catch { return end(.read) }
            guard case .processed(let count) = result else { return }
            guard count > 0 else { return end(.closedByServer) }
            owner.received(UnsafeRawBufferPointer(rebasing: readBuffer[..<count]), now: now)
            if count < readBuffer.count { return }
        }
    }

    private func flush() {
        var sent = 0
        while sent < outbox.count {
            let result: IOResult<Int>
            do {
                result = try outbox.withUnsafeBytes { bytes throws(IOError) in
                    try Socket.write(fd, from: UnsafeRawBufferPointer(rebasing: bytes[sent...]))
                }
            } catch { return end(.write) }
            guard case .processed(let count) = result else { break }
            sent += count
        }
        outbox.removeSubrange(0..<sent)
        watch(outbox.isEmpty ? EPOLLIN.rawValue : EPOLLIN.rawValue | EPOLLOUT.rawValue)
    }

    private func watch(_ events: UInt32) {
        guard isOpen, events != watching else { return }
        do { try loop.modify(fd, events: events) } catch { return end(.write) }
        watching = events
    }

    private func end(_ failure: Failure) {
        close()
        owner.ended(failure)
    }
}
