import Foundation
import Glibc
import TestKit
import Testing

/// `api serve` as a process: it reports its port, answers, and shuts down gracefully on SIGTERM.
@Suite struct ServeProcessTests {
    /// `api serve` logs `server.started` with the bound port and answers GET /healthz 200 `{"status":"ok"}`.
    @Test func serveAnswersHealthz() throws {
        let server = try APIBinary.serve()
        let client = try server.connect()
        try client.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        #expect(response.header("server") == "api")
        #expect(response.header("date") != nil)
        #expect(response.text == #"{"status":"ok"}"#)
        client.close()
        #expect(server.terminate() == 0)
    }

    /// One JSON access-log line per request on stdout with DESIGN §7's fields; a short printable incoming
    /// X-Request-ID is kept, echoed in the response and logged, with the traceparent.
    @Test func accessLogLineCarriesTheRequestID() throws {
        let server = try APIBinary.serve()
        let client = try server.connect()
        let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        try client.send("GET /healthz?probe=1 HTTP/1.1\r\nHost: localhost\r\nX-Request-ID: test-req-42\r\ntraceparent: \(traceparent)\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("x-request-id") == "test-req-42")
        try client.send("GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let generated = try #require(try client.readResponse().header("x-request-id"))
        #expect(!generated.isEmpty && generated != "test-req-42")
        let garbled = try server.connect()
        try garbled.send("\u{1}\r\n\r\n")
        #expect(try garbled.readResponse().status == 400)
        var lines: [[String: Any]] = []
        for _ in 0..<200 where lines.count < 3 {
            lines = server.process.stdout.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }.filter { $0["event"] as? String == "request" }
            usleep(10_000)
        }
        #expect(server.terminate() == 0)
        try #require(lines.count == 3, "access log: \(server.process.stdout)")
        // A request line the parser refused (on its own connection, maybe another loop's: its line may come first):
        // no method to name, no route.
        let refused = try #require(lines.first { $0["status"] as? Int == 400 }, "access log: \(server.process.stdout)")
        #expect(refused["method"] as? String == "-")
        #expect(refused["route"] is NSNull)
        lines.removeAll { $0["status"] as? Int == 400 }
        for field in ["ts", "level", "request_id", "method", "path", "route", "status", "duration_ms", "bytes_in", "bytes_out", "client"] {
            #expect(lines[0][field] != nil, "missing \(field)")
        }
        #expect(lines[0]["request_id"] as? String == "test-req-42")
        #expect(lines[0]["method"] as? String == "GET")
        #expect(lines[0]["path"] as? String == "/healthz")
        #expect(lines[0]["route"] as? String == "/healthz")
        #expect(lines[0]["status"] as? Int == 200)
        #expect(lines[0]["client"] as? String == "127.0.0.1")
        #expect(lines[0]["traceparent"] as? String == traceparent)
        #expect(lines[1]["request_id"] as? String == generated)
        #expect(lines[1]["status"] as? Int == 404)
        #expect(lines[1]["route"] is NSNull)
        let timestamp = try #require(lines[0]["ts"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "ts \(timestamp)")
    }

    /// Lines still buffered when SIGTERM comes (the loops write theirs at most every 50 ms) reach stdout before
    /// the process exits: one line for each of 40 pipelined requests answered just before it.
    @Test func bufferedAccessLinesAreWrittenAtExit() throws {
        let server = try APIBinary.serve()
        let client = try server.connect()
        try client.send(String(repeating: "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", count: 40))
        for _ in 0..<40 { #expect(try client.readResponse().status == 200) }
        #expect(server.terminate() == 0)
        let lines = server.process.stdout.split(separator: "\n").filter { $0.contains(#""event":"request""#) }
        #expect(lines.count == 40, "access log: \(server.process.stdout)")
    }

    /// Flags override the environment for the port the process binds (`--port 0` beats API_SERVER_PORT=1).
    @Test func flagBeatsEnvironmentInTheRealProcess() throws {
        let server = try APIBinary.serve(environment: ["API_SERVER_PORT": "1", "API_LOG_ACCESS": "off"])
        #expect(server.port != 1)
        #expect(server.terminate() == 0)
    }

    /// SIGTERM while a request's body is still arriving: the request finishes with a full response (then the
    /// connection closes), new connections are refused, and the process exits 0.
    @Test(.timeLimit(.minutes(3)))
    func sigtermLetsTheSlowRequestFinish() throws {
        let server = try APIBinary.serve(environment: ["API_LOG_ACCESS": "off"])
        let client = try server.connect()
        try client.send("POST /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nhello")
        usleep(200_000)
        server.process.send(signal: SIGTERM)
        usleep(300_000)
        #expect(server.process.wait(timeout: 0) == nil, "exited while a request was in flight")
        #expect((try? TestClient(port: server.port)).flatMap { refused in
            try? refused.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
            return try? refused.readResponse(timeout: 1)
        }.map { $0.status == 503 } ?? true, "a new connection after SIGTERM is refused or told 503")
        try client.send("world")
        let response = try client.readResponse(timeout: 5)
        #expect(response.status == 405)                         // POST /healthz: a full, ordinary answer
        #expect(response.text == #"{"detail":"Method Not Allowed"}"#)
        #expect(response.header("connection") == "close")
        #expect(client.waitForClose(timeout: 3))
        client.close()
        let status = server.process.wait(timeout: 10)
        #expect(status == 0, "exit status \(String(describing: status)); stdout: \(server.process.stdout)")
        #expect(server.process.stdout.contains("\"server.stopped\""))
    }

    /// SIGTERM or SIGINT with only idle keep-alive connections exits 0 at once, closing them.
    @Test(arguments: [SIGTERM, SIGINT])
    func terminationWithIdleConnectionsExitsPromptly(signal: Int32) throws {
        let server = try APIBinary.serve(environment: ["API_LOG_ACCESS": "off"])
        let client = try server.connect()
        try client.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        let started = TestClient.now()
        server.process.send(signal: signal)
        #expect(client.waitForClose(timeout: 3))
        #expect(server.process.wait(timeout: 5) == 0)
        #expect(TestClient.now() - started < 2)
    }
}
