import CLinux
import Glibc
import Net

/// One loop's share of a server: its listeners, its connections, and the buffers and caches they share.
///
/// Loop thread only. Connections hold it `unowned`: it lives as long as the server.
final class LoopState {
    let loop: EventLoop
    let shared: ServerShared
    /// One read buffer for every connection of the loop: idle connections then hold no input memory.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)
    var dateCache = DateCache()
    var requestIDs: RequestIDGenerator
    private let listenerFDs: [Int32]
    /// The listeners' epoll handlers while the loop accepts; empty once it drains.
    private var listeners: [Listener] = []
    private var connections: [Connection] = []

    private static let sweepIntervalMilliseconds: UInt64 = 250
    private static let overloadedResponse = Array(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: 32\r\nconnection: close\r\n\r\n{\"detail\":\"Service Unavailable\"}".utf8)

    init(loop: EventLoop, listeners: [Int32], shared: ServerShared) {
        self.loop = loop
        self.shared = shared
        listenerFDs = listeners
        requestIDs = RequestIDGenerator(loopIndex: loop.index)
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Registers the listeners and the timeout sweep; runs on the loop's thread before it starts waiting.
    func start() {
        for fd in listenerFDs {
            let listener = Listener(state: self, fd: fd)
            listeners.append(listener)
            do { try loop.register(fd, events: EPOLLIN.rawValue, handler: listener) } catch {
                fatalError("cannot watch the listener: \(error)")
            }
        }
        scheduleSweep()
        let observer = shared.observer, index = loop.index
        loop.addAfterBatchHook { observer.batchFinished(loop: index) }
    }

    // MARK: - Accepting

    /// Accepts what is pending on `listenerFD` (a bounded number, so one busy listener cannot starve the connections).
    /// Once the server drains it accepts nothing, even before this loop has let go of its listeners (`beginDraining`
    /// comes as a task): what waits in the queue belongs to whoever listens next, a successor that took the sockets
    /// over (DESIGN §13), where accepting it here could only answer 503.
    func acceptConnections(from listenerFD: Int32) {
        guard !shared.isDraining else { return }
        for _ in 0..<128 {
            let fd: Int32
            do {
                guard case .processed(let accepted) = try Socket.accept(listenerFD) else { return }
                fd = accepted
            } catch {
                if error.errno == EMFILE || error.errno == ENFILE { pauseAccepting() }
                if error.errno == ECONNABORTED { continue }
                return
            }
            admit(fd)
        }
    }

    private func admit(_ fd: Int32) {
        guard shared.openConnections.load(ordering: .relaxed) < shared.configuration.maxConnections else {
            Self.overloadedResponse.withUnsafeBytes { _ = try? Socket.write(fd, from: $0) }
            Socket.close(fd)
            return
        }
        try? Socket.setNoDelay(fd)
        let connection = Connection(fd: fd, state: self, client: Socket.peerAddress(fd))
        do { try loop.register(fd, events: EPOLLIN.rawValue, handler: connection) } catch {
            Socket.close(fd)
            return
        }
        connection.registryIndex = connections.count
        connections.append(connection)
        shared.openConnections.add(1, ordering: .relaxed)
        shared.observer.connectionChanged(opened: true, loop: loop.index)
    }

    /// Out of descriptors: stop watching the listeners for a moment instead of spinning on them.
    private func pauseAccepting() {
        for fd in listenerFDs { try? loop.modify(fd, events: 0) }
        loop.schedule(afterMilliseconds: 100) { [unowned self] in
            guard !self.listeners.isEmpty else { return }
            for fd in self.listenerFDs { try? self.loop.modify(fd, events: EPOLLIN.rawValue) }
        }
    }

    // MARK: - Connections

    /// Forgets a closed connection (swap-remove keeps this O(1)).
    func remove(_ connection: Connection) {
        let index = connection.registryIndex
        let last = connections.removeLast()
        if index < connections.count {
            connections[index] = last
            last.registryIndex = index
        }
        shared.openConnections.subtract(1, ordering: .relaxed)
        shared.observer.connectionChanged(opened: false, loop: loop.index)
    }

    private func scheduleSweep() {
        loop.schedule(afterMilliseconds: Self.sweepIntervalMilliseconds) { [unowned self] in
            self.sweep()
            self.scheduleSweep()
        }
    }

    /// Times out connections whose deadline has passed; a coarse sweep is cheaper than a timer per request.
    private func sweep() {
        let now = shared.time.monotonicMilliseconds()
        for connection in connections where connection.deadline <= now { connection.timedOut() }
    }

    // MARK: - Shutdown

    /// Stops accepting and closes connections that are between requests (an upgraded one after its farewell); busy
    /// ones close after their response.
    func beginDraining() {
        if !listeners.isEmpty {
            for fd in listenerFDs {
                loop.deregister(fd)
                Socket.close(fd)
            }
            listeners = []
        }
        for connection in connections where connection.isIdle { connection.closeForShutdown() }
    }

    /// Closes whatever is still open when the grace period is over.
    func closeAll() {
        for connection in connections { connection.close() }
    }
}

/// A listener's epoll handler.
final class Listener: IOHandler {
    private unowned let state: LoopState
    private let fd: Int32

    init(state: LoopState, fd: Int32) {
        self.state = state
        self.fd = fd
    }

    func handleEvents(_ events: UInt32) {
        state.acceptConnections(from: fd)
    }
}
