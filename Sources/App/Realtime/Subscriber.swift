import JSON

/// One subscription to a resource's changes (DESIGN §11) on one event loop: what it may see, where its events go,
/// and the last change it has been offered. Touched only on its loop.
final class Subscriber: Closable {
    let declaration: ResourceDeclaration
    let caller: StreamCaller?
    let filter: Filter?
    let sink: any EventSink
    private let metrics: RealtimeMetrics
    /// The newest change offered (sent, or not visible to this subscriber): the next starts after it.
    private(set) var offered: Int64
    /// The id of the last event sent, which the client resumes after.
    private(set) var lastEventID: Int64
    /// Reading the log to reach the live changes: live ones wait until it has.
    var isCatchingUp = false
    /// A read of the log for it is in flight (PostgreSQL answers later): another would offer the same changes.
    var isReadingLog = false
    /// When the stream last sent anything (monotonic milliseconds), for the heartbeat.
    var lastSentAt: UInt64

    init(declaration: ResourceDeclaration, caller: StreamCaller?, filter: Filter?, sink: any EventSink, after sequence: Int64, now: UInt64,
         metrics: RealtimeMetrics) {
        self.declaration = declaration
        self.metrics = metrics
        self.caller = caller
        self.filter = filter
        self.sink = sink
        offered = sequence
        lastEventID = sequence
        lastSentAt = now
    }

    /// Set by `cancel`.
    private var isCancelled = false

    /// Whether the client has gone, the stream was ended, or the subscription cancelled.
    var isClosed: Bool { isCancelled || sink.isClosed }

    /// Stops the subscription (a WebSocket's `unsubscribe`); its loop forgets it at the next delivery or tick.
    func cancel() {
        isCancelled = true
    }

    /// Offers `change`: sends its event when the subscriber may see the record (before or after the change), as
    /// `created`, `updated`, `deleted`, or `entered`/`left` when the change moved the record into or out of what it
    /// sees. `frames` makes each event's bytes once per loop, for every subscriber. Returns false when the stream could
    /// not take the event: it has then ended with `overflow`.
    func offer(_ change: Change, now: String, frames: ChangeFrames) -> Bool {
        guard change.sequence > offered else { return true }
        guard let name = event(for: change, now: now) else {
            offered = change.sequence
            return true
        }
        guard sink.send(id: change.sequence, name: name, frames: frames) else {
            sink.end(.overflow(lastEventID: lastEventID))
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
        sink.sendReset(at: sequence)
        offered = sequence
        lastEventID = sequence
    }

    /// Moves past changes before `sequence` that the log showed were not this resource's.
    func skip(to sequence: Int64) {
        offered = max(offered, sequence)
    }

    /// Keeps the stream open through proxies.
    func heartbeat(at now: UInt64) {
        sink.heartbeat()
        lastSentAt = now
    }

    /// Bytes waiting to be written: a catch-up waits while they are many.
    var queuedBytes: Int { sink.queuedBytes }

    /// The event `change` is for this subscriber; nil when it sees the record neither before nor after.
    private func event(for change: Change, now: String) -> String? {
        switch change.operation {
        case .created: return sees(change.record, now: now) ? "created" : nil
        case .deleted: return sees(change.record, now: now) ? "deleted" : nil
        case .updated:
            let before = change.previous.map { sees($0, now: now) } ?? false, after = sees(change.record, now: now)
            switch (before, after) {
            case (true, true): return "updated"
            case (false, true): return "entered"
            case (true, false): return "left"
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
