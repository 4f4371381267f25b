import HTTP

/// A subscriber's WebSocket: the opening handshake (RFC 6455 §4.1), then either `api`'s protocol (a `subscribe`
/// message, answered `subscribed`, then `event` messages with the record in `data`) or, with `--broadcast`, the
/// FastAPI peer's (nothing sent; every message `{"event":...,"record":{...}}`). Pings are answered (§5.5.2), a Close
/// is echoed (§5.5.1).
final class WebSocketSubscription: Subscription {
    private let request: [UInt8]
    private let expectedAccept: String
    /// The `subscribe` message, or nil for a broadcast that needs none.
    private let subscribe: [UInt8]?
    private var head: [UInt8] = []
    private var isOpen = false
    private var frames = WebSocketFrameReader()

    /// A subscription opened by a `GET` whose request line and fields so far are `head` (without the blank line), then,
    /// unless nil, by the text message `subscribe`.
    init(head: String, subscribe: [UInt8]?) {
        // §4.1 item 7: a fresh random key per connection.
        let key = WebSocketClientFrame.makeHandshakeKey()
        request = Array((head + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8)
        expectedAccept = WebSocketHandshake.acceptValue(for: key)
        self.subscribe = subscribe
    }

    func openingBytes() -> [UInt8] { request }

    func receive(_ bytes: UnsafeRawBufferPointer, _ signal: (SubscriptionSignal) -> Void) throws(SubscriptionFailure) {
        guard isOpen else { return try handshake(bytes, signal) }
        try readFrames(bytes, signal)
    }

    /// Collects the 101's head; once it is whole, checks it as §4.1 says and reads whatever frames followed it.
    private func handshake(_ bytes: UnsafeRawBufferPointer, _ signal: (SubscriptionSignal) -> Void) throws(SubscriptionFailure) {
        head.append(contentsOf: bytes)
        let parsed: UpgradeResponse?
        do { parsed = try head.withUnsafeBytes { try UpgradeResponse.parse($0) } } catch { throw SubscriptionFailure(reason: "malformed response") }
        guard let response = parsed else { return }
        guard response.status == 101 else { throw SubscriptionFailure(reason: "HTTP \(response.status)") }
        // §4.1: without `Upgrade: websocket` and the Accept of our key, the client must fail the connection.
        guard response.upgrade?.lowercased() == "websocket", response.accept == expectedAccept else {
            throw SubscriptionFailure(reason: "handshake not accepted")
        }
        isOpen = true
        if let subscribe {
            signal(.reply(WebSocketClientFrame.make(.text, payload: subscribe, key: WebSocketClientFrame.makeMaskingKey())))
        } else {
            signal(.subscribed)
        }
        let rest = Array(head[response.length...])
        head = []
        if !rest.isEmpty { try rest.withUnsafeBytes { bytes in Result { () throws(SubscriptionFailure) in try readFrames(bytes, signal) } }.get() }
    }

    private func readFrames(_ bytes: UnsafeRawBufferPointer, _ signal: (SubscriptionSignal) -> Void) throws(SubscriptionFailure) {
        var refusal: SubscriptionFailure?
        do {
            try frames.read(bytes) { received in
                switch received {
                case .message(let message):
                    if refusal == nil { refusal = take(message, signal) }
                case .ping(let payload):
                    signal(.reply(WebSocketClientFrame.make(.pong, payload: payload, key: WebSocketClientFrame.makeMaskingKey())))
                case .close(let code):
                    // §5.5.1: answer a Close with a Close (echoing its code), then the server closes the TCP connection.
                    let payload: [UInt8] = code.map { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } ?? []
                    signal(.reply(WebSocketClientFrame.make(.close, payload: payload, key: WebSocketClientFrame.makeMaskingKey())))
                    signal(.closing(reason: "close \(code.map(String.init) ?? "without a code")"))
                }
            }
        } catch {
            // §7.1.7: fail the connection, with the close code the reader chose.
            signal(.reply(WebSocketClientFrame.make(.close, payload: [UInt8(error.code >> 8), UInt8(error.code & 0xFF)],
                                                    key: WebSocketClientFrame.makeMaskingKey())))
            throw SubscriptionFailure(reason: "WebSocket: \(error.reason)")
        }
        if let refusal { throw refusal }
    }

    /// One text message: an event, the subscription's confirmation, or its refusal.
    private func take(_ message: UnsafeRawBufferPointer, _ signal: (SubscriptionSignal) -> Void) -> SubscriptionFailure? {
        // The peer's broadcast has no type: every message is {"event":...,"record":{...}}.
        guard subscribe != nil else {
            Self.signalCreated(message, record: "record", signal)
            return nil
        }
        guard let type = JSONSkim.member("type", in: message) else { return nil }
        if JSONSkim.isString(type, "event") {
            Self.signalCreated(message, record: "data", signal)
        } else if JSONSkim.isString(type, "subscribed") {
            signal(.subscribed)
        } else if JSONSkim.isString(type, "error") {
            let status = JSONSkim.member("status", in: message).flatMap(JSONSkim.integer).map(String.init) ?? "?"
            return SubscriptionFailure(reason: "subscribe refused: \(status)")
        }
        return nil
    }

    /// Signals the record id of a `created` event whose record is the member `record`.
    private static func signalCreated(_ message: UnsafeRawBufferPointer, record: StaticString, _ signal: (SubscriptionSignal) -> Void) {
        guard let event = JSONSkim.member("event", in: message), JSONSkim.isString(event, "created"),
              let data = JSONSkim.memberOnward(record, in: message), let id = JSONSkim.member("id", in: data).flatMap(JSONSkim.integer) else { return }
        signal(.created(recordID: id))
    }
}
