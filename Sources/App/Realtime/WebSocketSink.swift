import HTTP
import JSON

/// One subscription of a `GET /realtime` WebSocket as a subscriber's sink: each event is a text message
/// `{"type":"event","subscription":ID,"id":N,"event":NAME,"data":RECORD}`, the record's JSON made once per loop.
/// Ending any subscription's stream closes the connection: 4008 for an overflow, 4001 when the token ended, 1001
/// when the server goes away.
final class WebSocketSink: EventSink {
    private let outbound: WebSocketOutbound
    /// `"subscription":ID,` as JSON, made once.
    private let subscription: [UInt8]

    /// The sink of subscription `id` on `outbound`.
    init(_ outbound: WebSocketOutbound, subscription id: String) {
        self.outbound = outbound
        var writer = JSONWriter()
        writer.writeString(id)
        subscription = Array(#""subscription":"#.utf8) + writer.bytes + [UInt8(ascii: ",")]
    }

    var kind: StreamKind { .websocket }

    func send(id: Int64, name: String, frames: ChangeFrames) -> Bool {
        var message = Array(#"{"type":"event","#.utf8)
        message += subscription
        message += Array(#""id":\#(id),"event":"\#(name)","data":"#.utf8)
        message += frames.json(name)
        message.append(UInt8(ascii: "}"))
        return outbound.send(.text(String(decoding: message, as: UTF8.self)))
    }

    func sendReset(at id: Int64) {
        var message = Array(#"{"type":"reset","#.utf8)
        message += subscription
        message += Array(#""id":\#(id)}"#.utf8)
        outbound.send(.text(String(decoding: message, as: UTF8.self)))
    }

    /// Pings keep a WebSocket open: nothing to add here.
    func heartbeat() {}

    func end(_ reason: StreamEnd) {
        outbound.end(reason)
    }

    var isClosed: Bool { outbound.isClosed }

    var queuedBytes: Int { outbound.queuedBytes }
}
