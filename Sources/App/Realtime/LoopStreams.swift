/// The subscribers of one event loop and how far that loop has taken the feed (DESIGN §11, "Fan-out"). Touched only
/// on its loop: the feed's publications, the ticks and the new subscriptions all arrive there as tasks.
final class LoopStreams {
    /// The subscribers, by resource name.
    private var subscribers = KeyedSubscriptions<Subscriber>()
    /// The newest change of the feed this loop has offered to its live subscribers.
    private var cursor: Int64 = 0
    /// How many subscribers the loop has.
    var count: Int { subscribers.count }
    /// How many of them are WebSocket subscriptions.
    private(set) var websocketCount = 0

    /// Adds `subscriber`, which starts live or catching up.
    func add(_ subscriber: Subscriber) {
        subscribers.add(subscriber, under: subscriber.declaration.name)
        if subscriber.sink.kind == .websocket { websocketCount += 1 }
    }

    /// Offers the feed's changes after the cursor to the live subscribers of their resource; nil when the feed no
    /// longer holds them all (the loop fell behind): then every subscriber must catch up from the log, and the
    /// subscribers that must are returned.
    func deliver(from feed: ChangeFeed, now: String) -> [Subscriber] {
        guard let changes = feed.changes(after: cursor) else {
            cursor = feed.head
            return everyone.filter { !$0.isCatchingUp }
        }
        for change in changes {
            let listening = subscribers.under(change.resource)
            guard !listening.isEmpty else { continue }
            let frames = ChangeFrames(change)
            for subscriber in listening where !subscriber.isCatchingUp && !subscriber.isClosed {
                _ = subscriber.offer(change, now: now, frames: frames)
            }
        }
        if let last = changes.last { cursor = last.sequence }
        removeClosed()
        return []
    }

    /// Where the loop's live delivery stands: a subscriber that has caught up with the log up to here is live.
    var position: Int64 { cursor }

    /// Starts the cursor at the feed's head, for a loop's first subscriber.
    func start(at sequence: Int64) {
        if count == 0 { cursor = max(cursor, sequence) }
    }

    /// Every subscriber.
    var everyone: [Subscriber] { subscribers.everyone }

    /// Forgets the subscribers whose streams ended.
    func removeClosed() {
        websocketCount -= subscribers.removeClosed().filter { $0.sink.kind == .websocket }.count
    }
}
