import Net

/// One subscriber of a realtime run: connects, subscribes, and hands every `created` event to its worker until the
/// run ends or the server closes it. Owned by one `SubscriberWorker`, touched only on its loop.
final class Subscriber: ClientConnectionOwner {
    private enum Phase: Equatable { case waiting, opening(since: UInt64), open, ended }

    // unowned(unsafe): the worker owns its subscribers and outlives them, as a BenchWorker its connections.
    private unowned(unsafe) let worker: SubscriberWorker
    /// The subscriber's number within its worker: its slot in the worker's ledger.
    let index: Int
    private let subscription: any Subscription
    private var connection: ClientConnection?
    private var phase = Phase.waiting
    /// What the server said before closing, which names the end better than the close itself.
    private var closingReason: String?

    init(worker: SubscriberWorker, index: Int, subscription: any Subscription) {
        self.worker = worker
        self.index = index
        self.subscription = subscription
    }

    /// Starts connecting; the worker hears `subscribed` or `failed` within the timeout.
    func open(now: UInt64) {
        phase = .opening(since: now)
        let connection = ClientConnection(loop: worker.loop, readBuffer: worker.readBuffer, owner: self)
        self.connection = connection
        connection.open(address: worker.plan.address, port: worker.plan.port)
    }

    /// Ends an open that has taken longer than `timeout` nanoseconds.
    func checkOpening(now: UInt64, timeout: UInt64) {
        if case .opening(let since) = phase, now &- since > timeout { end(reason: "timeout") }
    }

    /// Closes the connection at the end of the run, without counting it as dropped.
    func close() {
        connection?.close()
        phase = .ended
    }

    // MARK: - The connection's events

    func connected() {
        connection?.send(subscription.openingBytes())
    }

    func received(_ bytes: UnsafeRawBufferPointer, now: UInt64) {
        do {
            try subscription.receive(bytes) { signal in take(signal, now: now) }
        } catch {
            end(reason: closingReason ?? error.reason)
        }
    }

    func ended(_ failure: ClientConnection.Failure) {
        switch failure {
        case .connect(let code): end(reason: "connect: " + Reachability.describe(errno: code))
        case .read, .write: end(reason: closingReason ?? "connection reset")
        case .closedByServer: end(reason: closingReason ?? "closed by the server")
        }
    }

    private func take(_ signal: SubscriptionSignal, now: UInt64) {
        switch signal {
        case .subscribed:
            guard case .opening = phase else { return }
            phase = .open
            worker.subscribed()
        case .created(let id):
            if phase == .open { worker.received(recordID: id, by: self, at: now) }
        case .reply(let bytes):
            connection?.send(bytes)
        case .closing(let reason):
            closingReason = reason
        }
    }

    private func end(reason: String) {
        connection?.close()
        switch phase {
        case .opening: worker.failed(self, reason: reason)
        case .open: worker.dropped(self, reason: reason)
        case .waiting, .ended: break
        }
        phase = .ended
    }
}
