import HTTP
import JSON

/// One subscription of a WebSocket to a channel, on the connection's loop: each message goes out as
/// `{"type":"message","subscription":ID,"channel":...,"seq":N,"from":USER,"at":TIME,"data":DATA}`.
final class ChannelSubscription: Closable {
    let channel: String
    let caller: StreamCaller?
    private let outbound: WebSocketOutbound
    /// `{"type":"message","subscription":ID,` made once.
    private let prefix: [UInt8]
    private var isCancelled = false

    init(channel: String, caller: StreamCaller?, outbound: WebSocketOutbound, subscription id: String) {
        self.channel = channel
        self.caller = caller
        self.outbound = outbound
        prefix = Array(#"{"type":"message","subscription":"#.utf8) + JSONValue.string(id).serialized() + [UInt8(ascii: ",")]
    }

    /// Sends `message`; a connection that cannot take it is closed with 4008, as a resource subscription would be.
    func deliver(_ message: ChannelMessage) {
        guard outbound.send(.text(String(decoding: prefix + message.tail, as: UTF8.self))) else { return end(.overflow(lastEventID: 0)) }
    }

    /// Ends the connection.
    func end(_ reason: StreamEnd) {
        outbound.end(reason)
    }

    /// Stops the subscription (`unsubscribe`).
    func cancel() {
        isCancelled = true
    }

    var isClosed: Bool { isCancelled || outbound.isClosed }
}
