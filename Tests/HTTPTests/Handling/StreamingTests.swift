import Dispatch
import Glibc
import HTTP
import Synchronization
import TestKit
import Testing

/// Bodies that stream and handles that push (issue 15, item 3), over real sockets: a body written over time from
/// another thread, a WebSocket handler that pushes without having received anything, and the bounded queue that a
/// client who does not read fills.
@Suite struct StreamingTests {
    /// Opened by the test to let a stream go on.
    private final class Gate: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        func open() { semaphore.signal() }
        func wait() -> Bool { semaphore.wait(timeout: .now() + 5) == .success }
    }

    /// Pushes three messages as soon as it opens, then closes with 1000.
    private final class Pusher: WebSocketHandler {
        func received(_ message: WebSocketMessage) -> [WebSocketMessage] { [] }

        func opened(_ outbound: WebSocketOutbound) {
            DispatchQueue.global().async {
                for number in 1...3 { outbound.send(.text("push \(number)")) }
                outbound.close()
            }
        }
    }

    /// How many sends a stream made before its queue refused one, and whether it saw the client leave.
    private final class Filling: Sendable {
        let accepted = Atomic<Int>(0)
        let refused = Atomic<Bool>(false)
        let sawClose = Atomic<Bool>(false)
    }

    private static func router(gate: Gate, filling: Filling) -> Router {
        var router = Router()
        router.add(.get, "/stream") { _, _ in
            .streaming(.ok, contentType: "text/plain") { outbound in
                DispatchQueue.global().async {
                    outbound.send(Array("one\n".utf8))
                    guard gate.wait() else { return outbound.close() }
                    outbound.send(Array("two\n".utf8))
                    outbound.send(Array("three\n".utf8))
                    outbound.close()
                }
            }
        }
        router.add(.get, "/fill") { _, _ in
            .streaming(.ok, contentType: "application/octet-stream", queueLimit: 65_536) { outbound in
                DispatchQueue.global().async {
                    // A refusal may only mean the loop has not drained yet: the queue counts as full once sends have
                    // been refused for 200 ms in a row. 320 MiB at most, far past any socket buffer.
                    let chunk = [UInt8](repeating: 0x61, count: 16_384)
                    var refusals = 0
                    while filling.accepted.load(ordering: .relaxed) < 20_000 && refusals < 200 {
                        if outbound.send(chunk) {
                            filling.accepted.add(1, ordering: .relaxed)
                            refusals = 0
                        } else {
                            refusals += 1
                            usleep(1_000)
                        }
                    }
                    filling.refused.store(refusals == 200, ordering: .relaxed)
                    for _ in 0..<500 where !outbound.isClosed { usleep(10_000) }
                    filling.sawClose.store(outbound.isClosed, ordering: .relaxed)
                }
            }
        }
        router.add(.get, "/ws/echo") { request, _ in try WebSocketHandshake.accept(request) { Pusher() } }
        router.add(.get, "/now") { _, _ in .detail(.ok, "now") }
        return router
    }

    /// The first chunk reaches the client while the stream is still held open; the rest follows once it goes on,
    /// chunked, and the connection then answers the request pipelined behind the stream.
    @Test func aStreamedBodyArrivesChunkByChunkOverTime() throws {
        let gate = Gate()
        let server = try LiveServer(router: Self.router(gate: gate, filling: Filling()))
        defer { server.stop() }
        let client = try server.connect()
        try client.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\nGET /now HTTP/1.1\r\nHost: a\r\n\r\n")
        var early: [UInt8] = []
        for _ in 0..<50 where !String(decoding: early, as: UTF8.self).contains("one\n") { early += client.readAvailable(timeout: 0.1) }
        let text = String(decoding: early, as: UTF8.self).lowercased()
        #expect(text.contains("transfer-encoding: chunked") && text.hasSuffix("4\r\none\n\r\n"), "\(text)")
        #expect(!text.contains("two"), "the rest waits for the stream")
        gate.open()
        let streamed = try client.readResponse()
        #expect(streamed.status == 200 && streamed.text == "one\ntwo\nthree\n", "\(streamed)")
        #expect(try client.readResponse().text == #"{"detail":"now"}"#, "the pipelined request is answered after the stream")
    }

    /// An HTTP/1.0 client gets the body until the connection closes (it has no chunked coding).
    @Test func anHTTP10ClientReadsAStreamUntilTheClose() throws {
        let gate = Gate()
        gate.open()
        let server = try LiveServer(router: Self.router(gate: gate, filling: Filling()))
        defer { server.stop() }
        let client = try server.connect()
        try client.send("GET /stream HTTP/1.0\r\n\r\n")
        #expect(client.waitForClose(timeout: 5))
        let text = String(decoding: client.buffered, as: UTF8.self)
        #expect(!text.lowercased().contains("transfer-encoding") && text.hasSuffix("\r\n\r\none\ntwo\nthree\n"), "\(text)")
    }

    /// A handler pushes messages the client never asked for, then closes normally.
    @Test func aWebSocketHandlerPushesWithoutHavingReceivedAnything() throws {
        let server = try LiveServer(router: Self.router(gate: Gate(), filling: Filling()))
        defer { server.stop() }
        let client = try server.connect()
        try client.send(try SharedTestData.httpCase("ws_upgrade_ok.http").replacingPath(with: "/ws/echo"))
        #expect(try client.readResponse().status == 101)
        let pushes = ["push 1", "push 2", "push 3"].flatMap { text -> [UInt8] in [0x81, UInt8(text.utf8.count)] + Array(text.utf8) }
        let expected = pushes + [0x88, 0x02, 0x03, 0xE8]
        for _ in 0..<50 where client.buffered.count < expected.count { _ = client.readAvailable(timeout: 0.1) }
        #expect(client.buffered == expected)
        #expect(client.waitForClose(timeout: 5), "the server closes after its Close frame")
    }

    /// A stream whose client stopped reading, with a write stalled past the write timeout, is closed as any stalled
    /// response is; the sender sees it closed.
    @Test func aStreamWhoseClientStopsReadingIsClosedAfterTheWriteTimeout() throws {
        let filling = Filling()
        let server = try LiveServer(router: Self.router(gate: Gate(), filling: filling)) { $0.bodyIdleTimeoutMilliseconds = 300 }
        defer { server.stop() }
        let client = try server.connect()
        try client.send("GET /fill HTTP/1.1\r\nHost: a\r\n\r\n")
        for _ in 0..<500 where !filling.sawClose.load(ordering: .relaxed) { usleep(10_000) }
        let sawClose = filling.sawClose.load(ordering: .relaxed)
        #expect(sawClose, "closed by the server while the client still holds its socket")
        withExtendedLifetime(client) {}
    }

    /// A client that reads nothing: once the socket buffers are full, the queue fills to its bound and `send`
    /// refuses, instead of the server buffering without end; when the client leaves, the stream sees it.
    @Test func aClientThatDoesNotReadFillsTheQueueAndSendIsRefused() throws {
        let filling = Filling()
        let server = try LiveServer(router: Self.router(gate: Gate(), filling: filling))
        defer { server.stop() }
        let client = try server.connect()
        try client.send("GET /fill HTTP/1.1\r\nHost: a\r\n\r\n")
        for _ in 0..<500 where !filling.refused.load(ordering: .relaxed) { usleep(10_000) }
        let refused = filling.refused.load(ordering: .relaxed), accepted = filling.accepted.load(ordering: .relaxed)
        #expect(refused, "a send was refused")
        #expect(accepted < 20_000, "after \(accepted) sends")
        client.close()
        for _ in 0..<500 where !filling.sawClose.load(ordering: .relaxed) { usleep(10_000) }
        let sawClose = filling.sawClose.load(ordering: .relaxed)
        #expect(sawClose, "the stream learns that its client left")
    }
}
