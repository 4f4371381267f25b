/// The immutable facts every thread of a realtime run shares: where to connect, the requests, the acknowledged writes.
final class RealtimePlan: Sendable {
    let configuration: RealtimeConfiguration
    /// The numeric address found by the reachability check, so connects need no name lookup.
    let address: String
    let port: Int
    /// The writes acknowledged so far, by record id.
    let acks = AckTable()
    /// The request line and fields of every write, up to its Content-Length.
    private let writeHead: String
    private let writeBody: WriteBody
    /// The whole request of every SSE subscriber, built once.
    private let eventStreamRequest: [UInt8]
    /// The request line and fields of every WebSocket opening request, before the fields of the handshake itself.
    private let webSocketHead: String
    private let subscribeMessage: [UInt8]?
    /// Subscribers each thread opens at once, so that a thousand connects do not all wait in the server's backlog.
    let opensPerThread: Int

    /// Opens in progress over all threads.
    private static let concurrentOpens = 128

    init(configuration: RealtimeConfiguration, address: String, run: String) {
        self.configuration = configuration
        self.address = address
        port = configuration.url.port
        let resource = configuration.resource, authority = configuration.url.authority, headers = configuration.headers
        writeHead = BenchConfiguration.head("POST", configuration.path("/\(resource)/"), authority: authority, headers: headers,
                                            defaults: ["Content-Type: application/json"])
        writeBody = WriteBody(template: configuration.body ?? RealtimeConfiguration.defaultBody, run: run)
        eventStreamRequest = Array((BenchConfiguration.head("GET", configuration.path("/\(resource)/events"), authority: authority, headers: headers,
                                                            defaults: ["Accept: text/event-stream"]) + "\r\n").utf8)
        webSocketHead = BenchConfiguration.head("GET", configuration.path(configuration.broadcastPath ?? "/realtime"), authority: authority, headers: headers)
        subscribeMessage = configuration.broadcastPath == nil ? Array(#"{"type":"subscribe","id":"b","resource":"\#(resource)"}"#.utf8) : nil
        opensPerThread = max(1, Self.concurrentOpens / configuration.threads)
    }

    /// The protocol subscriber `number` (over all threads) speaks.
    func makeSubscription(number: Int) -> any Subscription {
        switch configuration.kind(ofSubscriber: number) {
        case .sse: EventStreamSubscription(request: eventStreamRequest)
        case .websocket, .mixed: WebSocketSubscription(head: webSocketHead, subscribe: subscribeMessage)
        }
    }

    /// The request of write `number`.
    func writeRequest(number: Int) -> [UInt8] {
        let body = writeBody.make(number: number)
        return Array((writeHead + "Content-Length: \(body.count)\r\n\r\n").utf8) + body
    }
}
