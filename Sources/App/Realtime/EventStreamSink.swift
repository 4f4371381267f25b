import HTTP

/// A server-sent event stream (`GET /R/events`) as a subscriber's sink.
final class EventStreamSink: EventSink {
    private let outbound: Outbound

    init(_ outbound: Outbound) {
        self.outbound = outbound
    }

    var kind: StreamKind { .sse }

    func send(id: Int64, name: String, frames: ChangeFrames) -> Bool {
        outbound.send(frames.serverSentEvent(name, id: id))
    }

    func sendReset(at id: Int64) {
        outbound.send(EventStreamFrame.reset(id: id))
    }

    func heartbeat() {
        outbound.send(EventStreamFrame.heartbeat)
    }

    func end(_ reason: StreamEnd) {
        switch reason {
        case .overflow(let lastEventID): outbound.finish(with: EventStreamFrame.overflow(lastEventID: lastEventID))
        case .tokenEnded: outbound.finish(with: [])
        case .goingAway: outbound.finish(with: EventStreamFrame.retry(milliseconds: 1000))
        }
    }

    var isClosed: Bool { outbound.isClosed }

    var queuedBytes: Int { outbound.queuedBytes }
}
