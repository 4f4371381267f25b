import JSON
import Synchronization

/// Channel messages through the database, for the instances that share it: a publication is one statement on the
/// loop's read link, committed on its own; every instance, this one included, reads it when `api_channels` rings.
extension PostgresDataStore: ChannelRelay {
    var channelRelay: (any ChannelRelay)? { self }

    func publish(_ data: JSONValue, to channel: String, from: Int64?, at: String, on loop: Int,
                 completion: @escaping @Sendable (Result<Int64, any Error>) -> Void) {
        // Decided before the body, which runs again as each answer comes (`DataStore.submit`).
        let purges = channelPublications.add(1, ordering: .relaxed).newValue % PostgresChannelMessages.publicationsPerPurge == 0
        run(on: loop, { session in
            let messages = PostgresChannelMessages(session: session)
            let sequence = try messages.publish(data, to: channel, from: from, at: at)
            if purges { try messages.purge() }
            return sequence
        }, completion: completion)
    }

    func onMessages(_ receive: @escaping @Sendable ([ChannelMessage]) -> Void) {
        channelFeed.onMessages(receive)
    }

    func messagesBeforeStart(perChannel: Int) throws -> [ChannelMessage] {
        let start = channelFeed.start
        return try runBlocking { session in try PostgresChannelMessages(session: session).newest(perChannel, through: start) }
    }

    /// Hands on the messages published since the last read; on the doorbell's loop (loop 0).
    func catchUpChannels(on loop: Int) {
        channelFeed.catchUp { [self] after, done in
            run(on: loop, { session in try PostgresChannelMessages(session: session).messages(after: after) }, completion: done)
        }
    }
}
