import Synchronization

/// What this instance has read of `channel_messages`, and whom it hands new messages to (`ChannelRelay.onMessages`).
/// The doorbell's loop reads when `api_channels` rings and each time its link listens, one read at a time: a ring during
/// a read reads again after it.
final class PostgresChannelFeed: @unchecked Sendable {
    // @unchecked: `last`, `isReading` and `readsAgain` are touched only on the doorbell's loop; `receiver` under its mutex.
    /// Reads the messages after an id, completing on the doorbell's loop.
    typealias Reader = @Sendable (_ after: Int64, _ done: @escaping @Sendable (Result<[(id: Int64, message: ChannelMessage)], any Error>) -> Void) -> Void

    /// The id of the last message published before this instance started.
    let start: Int64
    private var last: Int64
    private var isReading = false
    private var readsAgain = false
    private let receiver = Mutex<(@Sendable ([ChannelMessage]) -> Void)?>(nil)

    /// A feed that hands on the messages after id `last` (those before were published before this instance started).
    init(after last: Int64) {
        start = last
        self.last = last
    }

    func onMessages(_ receive: @escaping @Sendable ([ChannelMessage]) -> Void) {
        receiver.withLock { $0 = receive }
    }

    /// Reads what is new with `read` and hands it on; on the doorbell's loop. A failed read leaves the messages for
    /// the next ring, or the realtime hub's next tick while anyone subscribes (`ChannelRelay.catchUpChannels`).
    func catchUp(reading read: @escaping Reader) {
        guard !isReading else {
            readsAgain = true
            return
        }
        isReading = true
        read(last) { [self] outcome in
            isReading = false
            if case .success(let messages) = outcome, let newest = messages.last {
                last = newest.id
                receiver.withLock { $0 }?(messages.map(\.message))
                if messages.count == PostgresChannelMessages.batch { readsAgain = true }
            }
            guard readsAgain else { return }
            readsAgain = false
            catchUp(reading: read)
        }
    }
}
