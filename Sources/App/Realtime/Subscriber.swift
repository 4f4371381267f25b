import HTTP
import JSON

/// One subscription to a resource's changes (DESIGN §11) on one event loop: what it may see, where its events go,
/// and the last change it has been offered. Touched only on its loop.
final class Subscriber {
    let declaration: ResourceDeclaration
    let caller: StreamCaller?
    let filter: Filter?
    private let outbound: Outbound
    private let metrics: RealtimeMetrics
    /// The newest change offered (sent, or not visible to this subscriber): the next starts after it.
    private(set) var offered: Int64
    /// The id of the last event sent, which the client resumes after.
    private(set) var lastEventID: Int64
    /// Reading the log to reach the live changes: live ones wait until it has.
    var isCatchingUp = false
    /// When the stream last sent anything (monotonic milliseconds), for the heartbeat.
    var lastSentAt: UInt64

    init(declaration: ResourceDeclaration, caller: StreamCaller?, filter: Filter?, outbound: Outbound, after sequence: Int64, now: UInt64,
         metrics: RealtimeMetrics) {
        self.declaration = declaration
        self.metrics = metrics
        self.caller = caller
        self.filter = filter
        self.outbound = outbound
        offered = sequence
        lastEventID = sequence
        lastSentAt = now
    }

    /// Whether the client has gone (or the stream was ended).
    var isClosed: Bool { outbound.isClosed }

    /// Offers `change`: sends its event when the subscriber may see the record (before or after the change), as
    /// `created`, `updated`, `deleted`, or `entered`/`left` when the change moved the record into or out of what it
    /// sees. `frames` holds the bytes made so far for this change, by event name, so each is encoded once per loop.
    /// Returns false when the stream could not take the event: it has then ended with `overflow`.
    func offer(_ change: Change, now: String, frames: inout [String: [UInt8]]) -> Bool {
        guard change.sequence > offered else { return true }
        guard let (name, data) = event(for: change, now: now) else {
            offered = change.sequence
            return true
        }
        let frame = frames[name] ?? EventStreamFrame.event(id: change.sequence, name: name, data: data)
        frames[name] = frame
        guard outbound.send(frame) else {
            outbound.finish(with: EventStreamFrame.overflow(lastEventID: lastEventID))
            metrics.countOverflow()
            return false
        }
        metrics.countSent()
        offered = change.sequence
        lastEventID = change.sequence
        return true
    }

    /// Sends `reset` at `sequence` (the log no longer holds what follows the id resumed from) and goes on after it.
    func reset(at sequence: Int64) {
        outbound.send(EventStreamFrame.reset(id: sequence))
        offered = sequence
        lastEventID = sequence
    }

    /// Moves past changes before `sequence` that the log showed were not this resource's.
    func skip(to sequence: Int64) {
        offered = max(offered, sequence)
    }

    /// Sends a heartbeat comment.
    func heartbeat(at now: UInt64) {
        outbound.send(EventStreamFrame.heartbeat)
        lastSentAt = now
    }

    /// Ends the stream after `words`, even past the queue's bound.
    func end(with words: [UInt8]) {
        outbound.finish(with: words)
    }

    /// Bytes waiting to be written: a catch-up waits while they are many.
    var queuedBytes: Int { outbound.queuedBytes }

    /// The event `change` is for this subscriber, with the record it shows; nil when it sees the record neither
    /// before nor after.
    private func event(for change: Change, now: String) -> (String, JSONObject)? {
        switch change.operation {
        case .created: return sees(change.record, now: now) ? ("created", change.record) : nil
        case .deleted: return sees(change.record, now: now) ? ("deleted", change.record) : nil
        case .updated:
            let before = change.previous.map { sees($0, now: now) } ?? false, after = sees(change.record, now: now)
            switch (before, after) {
            case (true, true): return ("updated", change.record)
            case (false, true): return ("entered", change.record)
            case (true, false): return ("left", change.previous ?? change.record)     // as it was when it could see it
            case (false, false): return nil
            }
        }
    }

    /// Whether the subscriber sees `record`: the resource's `read` rule and the subscription's filter both hold.
    private func sees(_ record: JSONObject, now: String) -> Bool {
        let caller = caller?.filterCaller
        return declaration.rule(.read).allows(record, caller: caller, now: now) && (filter?.matches(record, caller: caller, now: now) ?? true)
    }
}
