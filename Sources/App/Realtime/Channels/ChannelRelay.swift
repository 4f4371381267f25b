import JSON

/// Carries channel messages between the instances on one database (DESIGN §14): a message published on any instance
/// reaches the subscribers of every instance, numbered once for the whole cluster, in one order everywhere.
protocol ChannelRelay: Sendable {
    /// Sends `data` to `channel` from `from` (at `at`) to every instance, this one included (through `onMessages`);
    /// `completion` gets its number in the channel, on loop `loop`'s thread, once it is sent. Call on that thread.
    func publish(_ data: JSONValue, to channel: String, from: Int64?, at: String, on loop: Int,
                 completion: @escaping @Sendable (Result<Int64, any Error>) -> Void)

    /// Calls `receive` with the messages any instance publishes, in the order they were numbered, each once.
    func onMessages(_ receive: @escaping @Sendable ([ChannelMessage]) -> Void)

    /// The messages published before this process started that the relay still holds, the newest `perChannel` of each
    /// channel, oldest first: what the channels' histories start with.
    func messagesBeforeStart(perChannel: Int) throws -> [ChannelMessage]

    /// Reads what was published since the last read, which a missed bell left unread (a read that failed, a
    /// notification lost): the hub calls it every tick while anyone subscribes to a channel. Call on loop 0's thread.
    func catchUpChannels(on loop: Int)
}
