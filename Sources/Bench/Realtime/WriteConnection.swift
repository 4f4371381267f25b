import HTTP
import Net

/// One keep-alive connection of the writer: sends one write at a time, reads its response with `ResponseParser`,
/// and tells the `WriteScheduler` how it went, with the created record's id from a 2xx body. Reconnects for the
/// next write when the server closed it. Touched only on the writer's loop.
final class WriteConnection: ClientConnectionOwner {
    // unowned(unsafe): the scheduler owns its connections and outlives them.
    private unowned(unsafe) let scheduler: WriteScheduler
    private var connection: ClientConnection?
    private var response = ResponseParser()
    private var body: [UInt8] = []
    /// The write in flight, and when it was sent; nil when idle.
    private var write: (number: Int, sentAt: UInt64)?
    /// Connecting ahead of the writes, for `warm()`.
    private var isWarming = false

    init(scheduler: WriteScheduler) {
        self.scheduler = scheduler
    }

    /// Connects ahead of the first write; the scheduler hears `connectionSettled` once it has connected or failed.
    func warm() {
        isWarming = true
        connect()
    }

    private func connect() {
        guard connection?.isOpen != true else { return }
        let connection = ClientConnection(loop: scheduler.loop, readBuffer: scheduler.readBuffer, owner: self)
        self.connection = connection
        connection.open(address: scheduler.plan.address, port: scheduler.plan.port)
    }

    /// Sends write `number`'s `request`, connecting first if needed.
    func send(number: Int, request: [UInt8], now: UInt64) {
        write = (number, now)
        response = ResponseParser()
        body.removeAll(keepingCapacity: true)
        connect()
        connection?.send(request)
    }

    /// Fails the write in flight if it has waited longer than `timeout` nanoseconds; its connection is replaced.
    func checkTimeout(now: UInt64, timeout: UInt64) {
        guard let write, now &- write.sentAt > timeout else { return }
        connection?.close()
        fail(.timeout)
    }

    /// Closes the connection at the end of the run.
    func close() {
        connection?.close()
    }

    // MARK: - The connection's events

    func connected() {
        settle()
    }

    func received(_ bytes: UnsafeRawBufferPointer, now: UInt64) {
        // Bytes with no write out were never asked for: the framing is lost, so the connection goes.
        guard write != nil else {
            connection?.close()
            return
        }
        let used: Int
        do { used = try response.parse(bytes) { body.append(contentsOf: $0) } } catch {
            connection?.close()
            return fail(.read)
        }
        guard response.isComplete else { return }
        if !(used == bytes.count && response.head?.allowsReuse == true) { connection?.close() }
        complete(now: now)
    }

    func ended(_ failure: ClientConnection.Failure) {
        settle()
        guard write != nil else { return }
        switch failure {
        case .connect: fail(.connect)
        case .write: fail(.write)
        case .read: fail(.read)
        // Only a close-delimited body may end with the connection (RFC 9112 §6.3 item 8).
        case .closedByServer: response.finishAtClose() ? complete(now: MonotonicClock.nanoseconds()) : fail(.read)
        }
    }

    private func settle() {
        guard isWarming else { return }
        isWarming = false
        scheduler.connectionSettled()
    }

    // MARK: - Ending writes

    private func complete(now: UInt64) {
        guard let write, let head = response.head else { return }
        self.write = nil
        var recordID: Int64?
        if (200..<300).contains(head.status) {
            recordID = body.withUnsafeBytes { JSONSkim.member("id", in: $0).flatMap(JSONSkim.integer) }
        }
        scheduler.answered(self, number: write.number, status: head.status, recordID: recordID, at: now)
    }

    private func fail(_ kind: ErrorCounts.Kind) {
        write = nil
        scheduler.failed(self, kind)
    }
}
