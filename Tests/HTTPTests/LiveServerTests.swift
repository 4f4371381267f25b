import App
import Glibc
import HTTP
import TestKit
import Testing

/// The live tier: the whole application on 127.0.0.1:0, driven over real sockets.
@Suite struct LiveServerTests {
    /// Three requests in one write are answered in order, on the same connection, each with its own request id.
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withLiveServer { server in
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
        try await withLiveServer { server in
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
    @Test(.timeLimit(.minutes(1)))
    func thousandConcurrentKeepAliveConnectionsAreServed() async throws {
        #expect(OpenFileLimit.raise(atLeast: 8_192) >= 2_200)
        try await withLiveServer({ $0.server.maxConnections = 2_000 }) { server in
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

    /// A client that never finishes its head (or trickles it a byte at a time) gets 408 and is closed at the head
    /// timeout, while another client on the same server is served throughout.
    @Test func slowClientGets408WhileOthersAreServed() async throws {
        try await withLiveServer({
            $0.server.headTimeoutMilliseconds = 1_000
            $0.server.workers = 1                                  // the slow client and the others share one loop
        }) { server in
            let started = TestClient.now()
            let silent = try server.connect()
            try silent.send("GET /healthz HTTP/1.1\r\nHost: a\r\n")
            let trickler = try server.connect()
            let other = try server.connect()
            let trickle = Array("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "v"), count: 100)
            var served = 0
            var index = 0
            while TestClient.now() - started < 1.6 {
                if index < trickle.count { try? trickler.send([trickle[index]]); index += 1 }
                try other.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
                let response = try other.readResponse(timeout: 0.5)
                #expect(response.status == 200)
                served += 1
                usleep(50_000)
            }
            #expect(served >= 10)
            for client in [silent, trickler] {
                let response = try client.readResponse(timeout: 3)
                #expect(response.status == 408)
                #expect(response.header("connection") == "close")
                #expect(response.text == #"{"detail":"Request Timeout"}"#)
                #expect(client.waitForClose(timeout: 3))
            }
            let elapsed = TestClient.now() - started
            #expect(elapsed >= 1.0 && elapsed < 4.5, "408 after \(elapsed) s")
        }
    }

    /// A body that stops arriving gets 408 after the body idle timeout, then the connection closes.
    @Test func stalledBodyGets408() async throws {
        try await withLiveServer({ $0.server.bodyIdleTimeoutMilliseconds = 500 }) { server in
            let client = try server.connect()
            try client.send("POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
            let started = TestClient.now()
            let response = try client.readResponse(timeout: 4)
            #expect(response.status == 408)
            #expect(response.header("connection") == "close")
            #expect(client.waitForClose(timeout: 3))
            let waited = TestClient.now() - started
            #expect(waited >= 0.4 && waited < 3, "408 after \(waited) s")
        }
    }

    /// An idle kept-alive connection is closed quietly after the keep-alive timeout, not before.
    @Test func idleKeepAliveConnectionClosesAfterTheTimeout() async throws {
        try await withLiveServer({ $0.server.keepAliveTimeoutMilliseconds = 600 }) { server in
            let client = try server.connect()
            try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            let idleSince = TestClient.now()
            #expect(client.readAvailable(timeout: 0.3).isEmpty)
            #expect(!client.isPeerClosed, "closed before the keep-alive timeout")
            #expect(client.waitForClose(timeout: 3))
            #expect(client.buffered.isEmpty, "an idle close sends nothing")
            let idle = TestClient.now() - idleSince
            #expect(idle >= 0.55 && idle < 2.5, "closed after \(idle) s")
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
        try await withLiveServer({ $0.server.maxConnections = 2 }) { server in
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
        try await withLiveServer({ $0.server.maxConnections = 1; $0.server.workers = 1 }) { server in
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
        try await withLiveServer({ $0.server.limits.maxBodySize = 1_024 }) { server in
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
        try await withLiveServer { server in
            let client = try server.connect()
            try client.send("POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            #expect(try client.readResponse(timeout: 2).status == 100)
            try client.send("hello")
            #expect(try client.readResponse().status == 405)
        }
    }

    /// HTTP/1.0 closes by default and keeps alive when asked; `Connection: close` is honoured.
    @Test func connectionHeaderDecidesKeepAlive() async throws {
        try await withLiveServer { server in
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
        try await withLiveServer { server in
            let client = try server.connect()
            try client.send(try SharedTestData.httpCase("ws_upgrade_ok.http").replacingPath(with: "/ws"))
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

extension Array where Element == UInt8 {
    /// The request with the target of its request line replaced (the shared cases use placeholder paths).
    func replacingPath(with path: String) -> [UInt8] {
        guard let firstSpace = firstIndex(of: 0x20), let secondSpace = self[(firstSpace + 1)...].firstIndex(of: 0x20) else { return self }
        return Array(self[...firstSpace]) + Array(path.utf8) + Array(self[secondSpace...])
    }
}
