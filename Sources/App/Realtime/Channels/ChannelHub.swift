import JSON
import Synchronization

/// The channels of this process (DESIGN §11): a message published on any loop is numbered, kept in its channel's
/// history when the channel keeps one, and handed to each loop that has subscribers, once; the loop sends it to its
/// own subscriptions of that channel. Messages are ephemeral: never in the change log; the histories are in memory, gone
/// with the process unless a relay holds them (`restoreHistories`).
///
/// With a relay (the instances on one PostgreSQL database), a message is published through it, numbered there, and
/// handed to the subscribers of every instance as the relay delivers it, this one's included.
final class ChannelHub: Sendable {
    /// A channel's numbering and kept messages.
    private struct Channel {
        var sequence: Int64 = 0
        var history: [ChannelMessage] = []
    }

    let declarations: [ChannelDeclaration]
    private let channels = Mutex<[String: Channel]>([:])
    private let loops: PerLoop<LoopChannels>
    /// Subscriptions per loop, read by publishing threads to wake only loops that have some.
    private let counts: PerLoop<Atomic<Int>>
    private let execute = Mutex<RealtimeHub.LoopExecutor?>(nil)
    private let relay: (any ChannelRelay)?

    init(_ declarations: [ChannelDeclaration], loops: Int, relay: (any ChannelRelay)?) {
        self.declarations = declarations
        self.loops = PerLoop(count: loops) { _ in LoopChannels() }
        counts = PerLoop(count: loops) { _ in Atomic(0) }
        self.relay = relay
        relay?.onMessages { [weak self] messages in
            guard let self else { return }
            for message in messages {
                self.keepRelayed(message)
                self.deliver(message)
            }
        }
    }

    /// Starts delivering through `execute`.
    func start(_ execute: @escaping RealtimeHub.LoopExecutor) {
        self.execute.withLock { $0 = execute }
    }

    /// The declaration whose pattern `name` matches, and the record its rules see: the parameters and `channel`.
    func declaration(of name: String) -> (declaration: ChannelDeclaration, record: JSONObject)? {
        for declaration in declarations {
            guard let parameters = declaration.pattern.match(name) else { continue }
            var record = JSONObject(parameters.sorted { $0.key < $1.key }.map { JSONMember(key: $0.key, value: $0.value) })
            record["channel"] = .string(name)
            return (declaration, record)
        }
        return nil
    }

    /// Publishes `data` as a message of `channel` from `from`: numbered, kept in the channel's history, handed to every
    /// loop with subscribers (through the relay when there is one). `completion` gets its number, on loop `loop`'s
    /// thread (at once without a relay). Call on that thread.
    func publish(_ data: JSONValue, to channel: String, from: Int64?, at now: String, on loop: Int,
                 completion: @escaping @Sendable (Result<Int64, any Error>) -> Void) {
        if let relay { return relay.publish(data, to: channel, from: from, at: now, on: loop, completion: completion) }
        let kept = history(of: channel)
        let message = channels.withLock { channels -> ChannelMessage in
            let message = ChannelMessage(channel: channel, sequence: (channels[channel]?.sequence ?? 0) + 1, from: from, at: now, data: data)
            Self.keep(message, history: kept, in: &channels)
            return message
        }
        deliver(message)
        completion(.success(message.sequence))
    }

    /// Fills the channels' histories with the messages published before this process started that the relay holds
    /// (on PostgreSQL: the other instances', and this one's predecessors'), so that a restart or another instance
    /// keeps the history a subscriber asks for. Call before serving.
    func restoreHistories() throws {
        let deepest = declarations.map(\.history).max() ?? 0
        guard let relay, deepest > 0 else { return }
        for message in try relay.messagesBeforeStart(perChannel: deepest) { keepRelayed(message) }
    }

    /// Keeps `message`, numbered by the relay, in its channel's history.
    private func keepRelayed(_ message: ChannelMessage) {
        let kept = history(of: message.channel)
        channels.withLock { Self.keep(message, history: kept, in: &$0) }
    }

    /// How many messages `channel` keeps.
    private func history(of channel: String) -> Int {
        declaration(of: channel)?.declaration.history ?? 0
    }

    /// Records `message` as its channel's newest, and keeps it in the channel's last `history` messages.
    private static func keep(_ message: ChannelMessage, history: Int, in channels: inout [String: Channel]) {
        var state = channels[message.channel] ?? Channel()
        state.sequence = message.sequence
        if history > 0 {
            state.history.append(message)
            if state.history.count > history { state.history.removeFirst(state.history.count - history) }
        }
        channels[message.channel] = state
    }

    /// Hands `message` to every loop with subscribers.
    private func deliver(_ message: ChannelMessage) {
        guard let execute = execute.withLock({ $0 }) else { return }
        for index in 0..<loops.count where counts[index].load(ordering: .relaxed) > 0 {
            execute(index) { [self] in
                loops[index].deliver(message, to: message.channel)
                counts[index].store(loops[index].count, ordering: .relaxed)
            }
        }
    }

    /// Adds `subscription` on `loop` (its connection's); returns the channel's kept messages, oldest first.
    func subscribe(_ subscription: ChannelSubscription, on loop: Int) -> [ChannelMessage] {
        loops[loop].add(subscription)
        counts[loop].store(loops[loop].count, ordering: .relaxed)
        return channels.withLock { $0[subscription.channel]?.history ?? [] }
    }

    /// On `loop`: ends the subscriptions whose token expired (`seconds`) or was revoked (`isRevoked`).
    func tick(on loop: Int, seconds: Int64, isRevoked: (String) -> Bool) {
        for subscription in loops[loop].everyone where subscription.caller?.hasEnded(at: seconds, isRevoked: isRevoked) == true {
            subscription.end(.tokenEnded)
        }
        loops[loop].removeClosed()
        counts[loop].store(loops[loop].count, ordering: .relaxed)
    }

    /// On `loop`: ends every subscription (the server is shutting down).
    func closeAll(on loop: Int) {
        for subscription in loops[loop].everyone { subscription.end(.goingAway) }
        loops[loop].removeClosed()
        counts[loop].store(0, ordering: .relaxed)
    }

    /// Whether `loop` has channel subscriptions (then its ticks matter).
    func hasSubscriptions(on loop: Int) -> Bool { counts[loop].load(ordering: .relaxed) > 0 }

    /// Subscriptions open now, over every loop.
    var openSubscriptions: Int { (0..<loops.count).reduce(0) { $0 + counts[$1].load(ordering: .relaxed) } }
}
