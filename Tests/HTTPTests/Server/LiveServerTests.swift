import Glibc
import HTTP
import Net
import TestKit
import Testing

/// The live tier: the server on 127.0.0.1:0, driven over real sockets, answering `/healthz` as `api` does.
@Suite struct LiveServerTests {
    private final class Echo: WebSocketHandler {
        func received(_ message: WebSocketMessage) -> [WebSocketMessage] { [message] }
    }

    /// `GET /healthz` with `api`'s body, and a WebSocket echo on `/ws/echo`.
    private static let router: Router = {
        var router = Router()
        router.add(.get, "/healthz") { _, _ in .json(body: Array(#"{"status":"ok"}"#.utf8)) }
        router.add(.get, "/ws/echo") { request, _ in try WebSocketHandshake.accept(request) { Echo() } }
        return router
    }()

    /// A WebSocket client silent for `pingMilliseconds` gets a Ping (RFC 6455 §5.5.2); one that answers stays, one
    /// that does not is closed once `pongTimeoutMilliseconds` have passed.
    @Test func aSilentWebSocketClientIsPingedAndClosedWhenItDoesNotAnswer() async throws {
        var settings = WebSocketSettings()
        settings.pingMilliseconds = 300
        settings.pongTimeoutMilliseconds = 300
        var router = Router()
        let timers = settings
        router.add(.get, "/ws/echo") { request, _ in try WebSocketHandshake.accept(request, settings: timers) { Echo() } }
        try await withLiveServer(router: router) { server in
            let silent = try server.connect(), answering = try server.connect()
            for client in [silent, answering] {
                try client.send("GET /ws/echo HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                #expect(try client.readResponse().status == 101)
            }
            for _ in 0..<40 where answering.buffered != [0x89, 0x00] { _ = answering.readAvailable(timeout: 0.1) }
            #expect(answering.buffered == [0x89, 0x00], "a Ping with no payload")
            try answering.send([0x8A, 0x80, 1, 2, 3, 4])                             // its Pong, masked and empty
            #expect(silent.waitForClose(timeout: 3), "no answer to its Ping: closed")
            try answering.send([0x81, 0x82, 0, 0, 0, 0, 0x68, 0x69])                   // "hi"
            for _ in 0..<20 where !answering.buffered.suffix(4).elementsEqual([0x81, 0x02, 0x68, 0x69]) { _ = answering.readAvailable(timeout: 0.1) }
            #expect(!answering.isPeerClosed && answering.buffered.suffix(4).elementsEqual([0x81, 0x02, 0x68, 0x69]), "\(answering.buffered)")
        }
    }

    /// Three requests in one write are answered in order, on the same connection, each with its own request id.
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withLiveServer(router: Self.router) { server in
            let client = try server.connect()
            try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /nope HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
            let responses = try (0..<3).map { _ in try client.readResponse() }
            #expect(responses.map(\.status) == [200, 404, 405])
            #expect(responses[0].text == #"{"status":"ok"}"#)
            #expect(responses[2].header("allow") == "GET, HEAD")
            #expect(Set(responses.compactMap { $0.header("x-request-id") }).count == 3)
            // Still open: a fourth request on the same connection is served.
            try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
    }

    /// A pipeline split at every byte boundary across two writes gives the same three answers.
    @Test func pipelineSplitAnywhereIsAnsweredTheSame() async throws {
        let wire = Array(("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /healthz HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            + "HEAD /healthz HTTP/1.1\r\nHost: a\r\n\r\n").utf8)
        try await withLiveServer(router: Self.router) { server in
            for split in stride(from: 1, to: wire.count, by: 7) {
                let client = try server.connect()
                try client.send(Array(wire[..<split]))
                usleep(1_000)
                try client.send(Array(wire[split...]))
                let statuses = try [client.readResponse(), client.readResponse(), client.readResponse(isHead: true)].map(\.status)
                #expect(statuses == [200, 405, 200], "split at \(split)")
            }
        }
    }

    /// 1,000 connections open at once, each sending two requests on its kept-alive connection, are all answered.
    @Test(.timeLimit(.minutes(3)))
    func thousandConcurrentKeepAliveConnectionsAreServed() async throws {
        #expect(OpenFileLimit.raise(atLeast: 8_192) >= 2_200)
        try await withLiveServer(router: Self.router, { $0.maxConnections = 2_000 }) { server in
            let started = TestClient.now()
            var clients: [TestClient] = []
            for _ in 0..<1_000 { clients.append(try server.connect()) }
            for round in 1...2 {
                for client in clients { try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n") }
                var served = 0
                for client in clients {
                    let response = try client.readResponse(timeout: 20)
                    if response.status == 200 && response.text == #"{"status":"ok"}"# { served += 1 }
                }
                #expect(served == 1_000, "round \(round)")
            }
            #expect(clients.allSatisfy { !$0.isPeerClosed })
            #expect(TestClient.now() - started < 30)
        }
    }

    /// A client that never finishes its head (or trickles it a byte at a time) gets 408 and is closed once the head
    /// timeout has passed on the server's clock, and not before, while another client on the same loop is served.
    @Test func slowClientGets408WhileOthersAreServed() async throws {
        let time = ManualTime()
        try await withLiveServer(router: Self.router, time: time, { $0.headTimeoutMilliseconds = 1_000
            $0.workers = 1                                  // the slow client and the others share one loop
        }) { server in
            let silent = try server.connect()
            try silent.send("GET /healthz HTTP/1.1\r\nHost: a\r\n")
            let trickler = try server.connect()
            let other = try server.connect()
            for (step, byte) in Array("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: vvvvvvvvvv".utf8).enumerated() {
                try trickler.send([byte])
                try other.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try other.readResponse(timeout: 2).status == 200, "step \(step)")
                if step < 20 { time.advance(milliseconds: 40) }   // 800 ms of the 1 s, spread over the trickle
            }
            time.advance(milliseconds: 199)
            #expect(silent.readAvailable(timeout: 0.3).isEmpty && trickler.readAvailable(timeout: 0.01).isEmpty,
                    "1 ms before the timeout, on the server's clock")
            time.advance(milliseconds: 1)
            for client in [silent, trickler] {
                let response = try client.readResponse(timeout: 3)
                #expect(response.status == 408)
                #expect(response.header("connection") == "close")
                #expect(response.text == #"{"detail":"Request Timeout"}"#)
                #expect(client.waitForClose(timeout: 3))
            }
        }
    }

    /// A body that stops arriving gets 408 once the body idle timeout has passed, then the connection closes.
    @Test func stalledBodyGets408() async throws {
        let time = ManualTime()
        try await withLiveServer(router: Self.router, time: time, { $0.bodyIdleTimeoutMilliseconds = 500 }) { server in
            let client = try server.connect()
            try client.send("POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
            #expect(client.readAvailable(timeout: 0.3).isEmpty, "the body's part arrived; no time has passed")
            time.advance(milliseconds: 499)
            #expect(client.readAvailable(timeout: 0.3).isEmpty, "not before the timeout")
            time.advance(milliseconds: 1)
            let response = try client.readResponse(timeout: 3)
            #expect(response.status == 408)
            #expect(response.header("connection") == "close")
            #expect(client.waitForClose(timeout: 3))
        }
    }

    /// An idle kept-alive connection is closed quietly after the keep-alive timeout, not before.
    @Test func idleKeepAliveConnectionClosesAfterTheTimeout() async throws {
        let time = ManualTime()
        try await withLiveServer(router: Self.router, time: time, { $0.keepAliveTimeoutMilliseconds = 600 }) { server in
            let client = try server.connect()
            try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            time.advance(milliseconds: 599)
            #expect(client.readAvailable(timeout: 0.3).isEmpty)
            #expect(!client.isPeerClosed, "closed before the keep-alive timeout")
            time.advance(milliseconds: 1)
            #expect(client.waitForClose(timeout: 3))
            #expect(client.buffered.isEmpty, "an idle close sends nothing")
        }
    }

    /// Regression (found in review of issue 2): after a response whose write had to wait for the client, an idle
    /// connection is closed after the keep-alive timeout, not after the longer write (body idle) timeout.
    @Test func idleAfterAStalledWriteUsesTheKeepAliveTimeout() async throws {
        var router = Router()
        let large = [UInt8](repeating: UInt8(ascii: "x"), count: 16 << 20)
        router.add(.get, "/large") { _, _ in Response(status: .ok, contentType: "text/plain", body: large) }
        let server = try LiveServer(router: router) {
            $0.keepAliveTimeoutMilliseconds = 600
            $0.bodyIdleTimeoutMilliseconds = 5_000
        }
        defer { server.stop() }
        let client = try server.connect()
        try client.send("GET /large HTTP/1.1\r\nHost: a\r\n\r\n")
        usleep(300_000)                               // let the server's write block on full socket buffers
        #expect(try client.readResponse(timeout: 10).body.count == large.count)
        let idleSince = TestClient.now()
        #expect(client.waitForClose(timeout: 4))
        let idle = TestClient.now() - idleSince
        #expect(idle < 2.5, "closed after \(idle) s; the keep-alive timeout is 0.6 s")
    }

    /// Past `server.max_connections`, a new connection gets 503 and is closed; once a slot frees, new ones are served.
    @Test func connectionPastTheCapGets503() async throws {
        try await withLiveServer(router: Self.router, { $0.maxConnections = 2 }) { server in
            var held: [TestClient] = []
            for _ in 0..<2 {
                let client = try server.connect()
                try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try client.readResponse().status == 200)
                held.append(client)
            }
            let extra = try server.connect()
            let refused = try extra.readResponse(timeout: 3)
            #expect(refused.status == 503)
            #expect(refused.text == #"{"detail":"Service Unavailable"}"#)
            #expect(extra.waitForClose(timeout: 2))
            held.removeFirst().close()
            var servedAgain = false
            for _ in 0..<50 where !servedAgain {             // the server notices the close on its next wake-up
                usleep(20_000)
                let client = try server.connect()
                try? client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
                servedAgain = (try? client.readResponse(timeout: 1))?.status == 200
            }
            #expect(servedAgain)
            try held[0].send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try held[0].readResponse().status == 200)
        }
    }

    /// A client that sends its request at once (as every real client does) still reads the 503, rather than losing it
    /// to the reset that closing a socket with unread input causes (RFC 9112 §9.6).
    @Test func connectionPastTheCapThatAlreadySentItsRequestReads503() async throws {
        try await withLiveServer(router: Self.router, { $0.maxConnections = 1; $0.workers = 1 }) { server in
            let held = try server.connect()
            try held.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try held.readResponse().status == 200)
            var statuses: [Int] = []
            for _ in 0..<20 {
                let extra = try server.connect()
                try? extra.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
                usleep(20_000)                               // let the server accept, refuse and close before we read
                statuses.append((try? extra.readResponse(timeout: 2))?.status ?? -1)
            }
            #expect(statuses.allSatisfy { $0 == 503 }, "statuses (-1 = reset before the response could be read): \(statuses)")
        }
    }

    /// A Content-Length over the limit is refused with 413 from the head alone, before any body byte is sent,
    /// and no `100 Continue` invites the body.
    @Test(arguments: [false, true])
    func oversizedContentLengthIs413BeforeTheBody(expectContinue: Bool) async throws {
        try await withLiveServer(router: Self.router, { $0.limits.maxBodySize = 1_024 }) { server in
            let client = try server.connect()
            try client.send("POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\n"
                + (expectContinue ? "Expect: 100-continue\r\n" : "") + "\r\n")
            let response = try client.readResponse(timeout: 2)
            #expect(response.status == 413)
            #expect(response.text == #"{"detail":"Request body too large"}"#)
            #expect(response.header("connection") == "close")
            #expect(client.waitForClose(timeout: 3))
        }
    }

    /// `Expect: 100-continue` within the limit gets the interim response, then the answer once the body arrives.
    @Test func expectContinueInvitesTheBody() async throws {
        try await withLiveServer(router: Self.router) { server in
            let client = try server.connect()
            try client.send("POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            #expect(try client.readResponse(timeout: 2).status == 100)
            try client.send("hello")
            #expect(try client.readResponse().status == 405)
        }
    }

    /// HTTP/1.0 closes by default and keeps alive when asked; `Connection: close` is honoured.
    @Test func connectionHeaderDecidesKeepAlive() async throws {
        try await withLiveServer(router: Self.router) { server in
            let oldClient = try server.connect()
            try oldClient.send("GET /healthz HTTP/1.0\r\n\r\n")
            #expect(try oldClient.readResponse().header("connection") == "close")
            #expect(oldClient.waitForClose(timeout: 3))

            let keepAlive = try server.connect()
            for _ in 0..<2 {
                try keepAlive.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                #expect(try keepAlive.readResponse().header("connection") == "keep-alive")
            }

            let closing = try server.connect()
            try closing.send("GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try closing.readResponse().status == 200)
            #expect(closing.waitForClose(timeout: 3))
            #expect(closing.buffered.isEmpty, "nothing after the Connection: close response")
        }
    }

    /// The WebSocket route upgrades with the RFC's accept value and echoes a masked frame over the live socket.
    @Test func webSocketUpgradesAndEchoes() async throws {
        try await withLiveServer(router: Self.router) { server in
            let client = try server.connect()
            try client.send(try SharedTestData.httpCase("ws_upgrade_ok.http").replacingPath(with: "/ws/echo"))
            let response = try client.readResponse()
            #expect(response.status == 101)
            #expect(response.header("sec-websocket-accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
            #expect(response.header("upgrade")?.lowercased() == "websocket")
            try client.send([0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])    // RFC 6455 §5.7 masked "Hello"
            var echoed: [UInt8] = []
            for _ in 0..<20 where echoed.count < 7 { echoed += client.readAvailable(timeout: 0.2) }
            #expect(client.buffered == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        }
    }
}
