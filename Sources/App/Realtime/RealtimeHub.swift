import Net
import Synchronization

/// The streams of this process (DESIGN §11): each event loop's subscribers, fed by the store's `ChangeFeed`. A
/// publication wakes each loop that has subscribers, once; the loop offers the new changes to its own subscribers
/// (access checked in memory, each event's bytes made once per loop). A tick twice a second sends heartbeats, ends
/// the streams of expired or revoked tokens, resumes catch-ups that waited for a queue to drain, and picks up
/// changes other processes logged.
final class RealtimeHub: Sendable {
    /// Runs a task on a loop's thread.
    typealias LoopExecutor = @Sendable (Int, @escaping @Sendable () -> Void) -> Void

    private struct Control {
        var execute: LoopExecutor?
        var isClosing = false
    }

    let settings: RealtimeSettings
    private let store: any DataStore
    private let authenticator: Authenticator
    private let revocations: RevocationList
    private let time: any TimeSource
    private let loops: PerLoop<LoopStreams>
    /// Subscribers per loop, read by the publishing thread to wake only loops that have some.
    private let counts: PerLoop<Atomic<Int>>
    /// Of them, WebSocket subscriptions, for the metrics.
    private let websocketCounts: PerLoop<Atomic<Int>>
    private let control = Mutex(Control())
    /// Each loop's position in the feed, for the fan-out lag.
    private let positions: PerLoop<Atomic<Int64>>
    let metrics = RealtimeMetrics()
    /// The declared channels and their subscriptions.
    let channels: ChannelHub
    /// Changes read from the log per catch-up step.
    static let catchUpBatch = 256
    /// Between two ticks.
    static let tickMilliseconds: Int64 = 500

    init(settings: RealtimeSettings, channels: [ChannelDeclaration], store: any DataStore, authenticator: Authenticator,
         revocations: RevocationList, time: any TimeSource, loops: Int) {
        self.channels = ChannelHub(channels, loops: loops, relay: store.channelRelay)
        self.settings = settings
        self.store = store
        self.authenticator = authenticator
        self.revocations = revocations
        self.time = time
        self.loops = PerLoop(count: loops) { _ in LoopStreams() }
        counts = PerLoop(count: loops) { _ in Atomic(0) }
        websocketCounts = PerLoop(count: loops) { _ in Atomic(0) }
        positions = PerLoop(count: loops) { _ in Atomic(0) }
        store.changeFeed.listen { [weak self] in self?.wakeLoops() }
    }

    /// Starts delivering through `execute` (the server's loops) and ticking.
    func start(_ execute: @escaping LoopExecutor) {
        control.withLock { $0.execute = execute }
        channels.start(execute)
        scheduleTick()
    }

    /// Ends every stream with a retry hint and refuses new ones (the server is shutting down).
    func closeAll() {
        let execute = control.withLock { control -> LoopExecutor? in
            control.isClosing = true
            return control.execute
        }
        for index in 0..<loops.count {
            execute?(index) { [self] in
                for subscriber in loops[index].everyone { subscriber.sink.end(.goingAway) }
                channels.closeAll(on: index)
                loops[index].removeClosed()
                publishCounts(of: index)
            }
        }
    }

    /// The newest change published: a new subscription starts after it.
    var head: Int64 { store.changeFeed.head }

    /// Subscriptions open now, by kind.
    var openSubscriptions: [StreamKind: Int] {
        let total = (0..<loops.count).reduce(0) { $0 + counts[$1].load(ordering: .relaxed) }
        let websocket = (0..<loops.count).reduce(0) { $0 + websocketCounts[$1].load(ordering: .relaxed) }
        return [.sse: total - websocket, .websocket: websocket]
    }

    /// Published changes the slowest loop with subscribers has still to offer.
    var fanOutLag: Int64 {
        let head = store.changeFeed.head
        return (0..<loops.count).filter { counts[$0].load(ordering: .relaxed) > 0 }
            .map { head - positions[$0].load(ordering: .relaxed) }.max() ?? 0
    }

    /// Whether new streams are refused.
    var isClosing: Bool { control.withLock { $0.isClosing } }

    // MARK: - On a loop

    /// Adds `subscriber` on loop `loop` (its stream's loop). It catches up from the log first, from the id it resumes
    /// after (a `reset` when the log no longer holds what follows it) or from the head it started at: a change committed
    /// while the feed was not yet wanted (it publishes nothing while no stream listens) is in the log.
    func subscribe(_ subscriber: Subscriber, resumingAfter lastEventID: Int64?, on loop: Int) {
        let streams = loops[loop]
        streams.start(at: store.changeFeed.head)
        streams.add(subscriber)
        publishCounts(of: loop)
        subscriber.isCatchingUp = true
        guard let lastEventID else { return catchUp(subscriber, on: loop) }
        resume(subscriber, after: lastEventID, on: loop)
    }

    /// Sends `reset` when the log no longer holds what follows `lastEventID` (or it is newer than the log), else
    /// catches `subscriber` up from it. No catch-up starts while the log's bounds are read.
    private func resume(_ subscriber: Subscriber, after lastEventID: Int64, on loop: Int) {
        subscriber.isReadingLog = true
        let caught = Caught(subscriber)
        store.read(on: loop, { try $0.changes.bounds() }) { [self] outcome in
            let subscriber = caught.subscriber
            subscriber.isReadingLog = false
            guard case .success(let (first, last)) = outcome else { return subscriber.sink.end(.goingAway) }
            guard lastEventID < first - 1 || lastEventID > last else { return catchUp(subscriber, on: loop) }
            subscriber.reset(at: last)
            subscriber.isCatchingUp = false
            subscriber.skip(to: loops[loop].position)
        }
    }

    /// Offers `subscriber` the logged changes of its resource after its position, a batch at a time, pausing while its
    /// queue is over half full (the next tick or delivery resumes it); once the log has nothing newer, it goes live.
    /// One read at a time: the answer comes later on PostgreSQL, and a delivery meanwhile must not read it again.
    private func catchUp(_ subscriber: Subscriber, on loop: Int) {
        guard !subscriber.isReadingLog else { return }
        subscriber.isReadingLog = true
        let after = subscriber.offered, resource = subscriber.declaration.name, caught = Caught(subscriber)
        store.read(on: loop, { try $0.changes.changes(after: after, of: resource, limit: Self.catchUpBatch) }) { [self] outcome in
            let subscriber = caught.subscriber
            subscriber.isReadingLog = false
            guard case .success(let changes) = outcome else { return subscriber.sink.end(.goingAway) }
            offer(changes, to: subscriber, on: loop)
        }
    }

    /// Offers a batch read from the log, then reads the next, or goes live after the last.
    private func offer(_ changes: [Change], to subscriber: Subscriber, on loop: Int) {
        let now = time.timestamp()
        for change in changes {
            guard !subscriber.isClosed && subscriber.queuedBytes < settings.maxQueueBytes / 2 else { return }
            guard subscriber.offer(change, now: now, frames: ChangeFrames(change)) else { return }
        }
        guard changes.count < Self.catchUpBatch else { return catchUp(subscriber, on: loop) }
        subscriber.isCatchingUp = false
        subscriber.skip(to: loops[loop].position)
    }

    /// A subscriber carried through a read's completion, which runs on its loop: the only thread that touches it.
    private struct Caught: @unchecked Sendable {
        let subscriber: Subscriber

        init(_ subscriber: Subscriber) {
            self.subscriber = subscriber
        }
    }

    /// Offers the feed's new changes on `loop`.
    private func deliver(on loop: Int) {
        let behind = loops[loop].deliver(from: store.changeFeed, now: time.timestamp())
        for subscriber in behind { subscriber.isCatchingUp = true }
        for subscriber in loops[loop].everyone where subscriber.isCatchingUp { catchUp(subscriber, on: loop) }
        publishCounts(of: loop)
        positions[loop].store(loops[loop].position, ordering: .relaxed)
    }

    /// Heartbeats, token ends and waiting catch-ups of `loop`.
    private func tick(on loop: Int) {
        let streams = loops[loop], now = time.monotonicMilliseconds(), seconds = time.wallSeconds()
        authenticator.pollRevocationsIfDue(loop: loop)     // revocations by other processes, as requests would
        for subscriber in streams.everyone {
            if subscriber.caller?.hasEnded(at: seconds, isRevoked: { revocations.isRevoked($0, loop: loop) }) == true {
                subscriber.sink.end(.tokenEnded)
            } else if subscriber.isCatchingUp {
                catchUp(subscriber, on: loop)
            } else if now - subscriber.lastSentAt >= settings.heartbeatMilliseconds {
                subscriber.heartbeat(at: now)
            }
        }
        streams.removeClosed()
        publishCounts(of: loop)
        channels.tick(on: loop, seconds: seconds) { revocations.isRevoked($0, loop: loop) }
    }

    /// Makes loop `loop`'s counts of subscribers readable from other threads, and tells the feed whether anyone listens.
    private func publishCounts(of loop: Int) {
        counts[loop].store(loops[loop].count, ordering: .relaxed)
        websocketCounts[loop].store(loops[loop].websocketCount, ordering: .relaxed)
        store.changeFeed.setWanted((0..<loops.count).contains { counts[$0].load(ordering: .relaxed) > 0 })
    }

    // MARK: - Any thread

    /// After a publication: one delivery task per loop that has subscribers.
    private func wakeLoops() {
        guard let execute = control.withLock({ $0.execute }) else { return }
        for index in 0..<loops.count where counts[index].load(ordering: .relaxed) > 0 {
            execute(index) { [self] in deliver(on: index) }
        }
    }

    /// Every half second: a tick on each loop with subscribers, and a look on the first at the log for changes other
    /// processes committed, and at the relay for channel messages whose bell it missed.
    private func scheduleTick() {
        time.after(milliseconds: Self.tickMilliseconds) { [weak self] in
            guard let self, let execute = control.withLock({ $0.isClosing ? nil : $0.execute }) else { return }
            let busy = (0..<loops.count).filter { counts[$0].load(ordering: .relaxed) > 0 || channels.hasSubscriptions(on: $0) }
            if !busy.isEmpty {
                execute(0) { [self] in
                    store.catchUpChangeFeed(on: 0)
                    if channels.openSubscriptions > 0 { store.channelRelay?.catchUpChannels(on: 0) }
                }
            }
            for index in busy { execute(index) { [self] in tick(on: index) } }
            scheduleTick()
        }
    }
}
