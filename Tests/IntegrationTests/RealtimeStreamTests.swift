import JSON
import TestKit
import Testing

/// The event streams of resources (issue 18) with the real binary, driven by `scripts/checks/realtime_check.py`:
/// resume across `kill -9`, access per event, a slow subscriber among fast ones.
@Suite(.serialized) struct RealtimeStreamTests {
    /// The `resources` of config.example.json (DESIGN §10's `projects`), as JSON text.
    static func exampleResources() throws -> String {
        let example = try JSONParser.parse(try SharedTestData.readFile(SharedTestData.repositoryRoot + "/config.example.json"))
        return try #require(example["resources"]).jsonText
    }

    /// A deployment serving config.example.json's resources without rate limits, with `extra` variables, and its
    /// admin's token.
    private static func exampleDeployment(_ extra: [String: String] = [:]) throws -> (TestDeployment, token: String) {
        var environment = TestDeployment.withoutRateLimits.merging(extra) { $1 }
        environment["API_RESOURCES"] = try exampleResources()
        return try TestDeployment.withAdmin(environment)
    }

    private static func check(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 90) throws -> ProcessResult {
        try PythonTool.run("python", environment: environment, [SharedTestData.repositoryRoot + "/scripts/checks/realtime_check.py"] + arguments,
                           timeout: timeout)
    }

    /// Must show 2: a filtered subscriber, a writer creating, updating and deleting, the server killed with `kill -9`
    /// twice and restarted; reconnecting with `Last-Event-ID`, the subscriber gets exactly the events the change log
    /// gives for its filter, in order, with no gap and no duplicate.
    @Test(.timeLimit(.minutes(3)))
    func everyMatchingEventOnceInOrderAcrossKillNine() throws {
        let (deployment, token) = try Self.exampleDeployment()
        let result = try Self.check(["resume", "--api", try APIBinary.path(), "--port", String(try FreePort.next()), "--db", deployment.databasePath,
                                     "--token", token], environment: deployment.environment)
        #expect(result.status == 0, "\(result)")
    }

    /// Must show 3: each user sees only the tasks kept for them, `left` and `entered` when one changes hands; a
    /// revoked token's stream ends within a second.
    @Test(.timeLimit(.minutes(3)))
    func eachUserSeesOnlyTheirRecordsAndARevokedStreamEnds() throws {
        let tasks: JSONValue = ["tasks": ["fields": ["title": ["type": "string"], "keeper": ["type": "reference", "to": "users"]],
                                          "rules": ["read": "keeper = @caller.id", "list": "keeper = @caller.id"]]]
        var environment = TestDeployment.withoutRateLimits
        environment["API_RESOURCES"] = tasks.jsonText
        let (deployment, admin) = try TestDeployment.withAdmin(environment)
        var tokens: [String] = []
        for email in ["a@example.com", "b@example.com"] {
            #expect(try deployment.addUser(email, password: "user-password-1").status == 0)
            tokens.append(String(try deployment.run(["token", "issue", "--subject", email, "--ttl", "1h"]).stdout.dropLast()))
        }
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let result = try Self.check(["access", "--url", "http://127.0.0.1:\(server.port)", "--admin-token", admin, "--token-a", tokens[0],
                                     "--token-b", tokens[1], "--user-a", "2", "--user-b", "3"])
        #expect(result.status == 0, "\(result)")
    }

    /// Must show 4: a subscriber that stops reading is closed with `overflow` and its last id while 100 others get
    /// every event with p99 delivery at most 50 ms; resuming from that id, it gets every event after it.
    @Test(.timeLimit(.minutes(3)))
    func aSlowSubscriberIsClosedAndResumesWithoutSlowingOthers() throws {
        let (deployment, token) = try Self.exampleDeployment(["API_REALTIME_MAX_QUEUE_BYTES": "65536"])
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let result = try Self.check(["slow", "--url", "http://127.0.0.1:\(server.port)", "--token", token])
        #expect(result.status == 0, "\(result)")
    }

    /// The WebSocket's answers: refusals with the status a request would get, `since`, `unsubscribe`.
    @Test(.timeLimit(.minutes(3)))
    func theWebSocketProtocolAnswersEachMessage() throws {
        let (deployment, token) = try Self.exampleDeployment()
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let result = try Self.check(["protocol", "--url", "http://127.0.0.1:\(server.port)", "--token", token])
        #expect(result.status == 0, "\(result)")
    }

    /// Channels over the WebSocket: their rules, history, size limit and delivery.
    @Test(.timeLimit(.minutes(3)))
    func channelsDeliverWhatTheirRulesAllow() throws {
        let channels: JSONValue = [
            "chat:{room}": ["subscribe": "authenticated", "publish": "authenticated", "history": 2, "max_message_bytes": 100],
            "user:{id:int}": ["subscribe": "id = @caller.id", "publish": "admin"],
        ]
        let (deployment, admin) = try TestDeployment.withAdmin(["API_REALTIME_CHANNELS": channels.jsonText])
        #expect(try deployment.addUser("a@example.com", password: "user-password-1").status == 0)
        let member = String(try deployment.run(["token", "issue", "--subject", "a@example.com", "--ttl", "1h"]).stdout.dropLast())
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let result = try Self.check(["channels", "--url", "http://127.0.0.1:\(server.port)", "--admin-token", admin, "--token-a", member,
                                     "--user-admin", "1", "--user-a", "2"])
        #expect(result.status == 0, "\(result)")
    }

    /// Shutting down ends the streams at once, after the listeners closed: an event stream with `retry: 1000`, a
    /// WebSocket with 1001; the drain does not wait for them.
    @Test(.timeLimit(.minutes(3)))
    func shuttingDownEndsTheStreamsAtOnce() throws {
        let (deployment, token) = try Self.exampleDeployment(["API_SERVER_SHUTDOWN_GRACE_S": "20"])
        let server = try deployment.serve()
        let events = try server.connect(), socket = try server.connect()
        try events.send("GET /projects/events HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(token)\r\n\r\n")
        try socket.send("GET /realtime HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        _ = events.readAvailable(timeout: 1)
        _ = socket.readAvailable(timeout: 1)
        let started = TestClient.now()
        #expect(server.terminate() == 0)
        let elapsed = TestClient.now() - started
        #expect(elapsed < 5, "the drain did not wait out the 20 s grace for the streams: \(elapsed) s")
        #expect(events.waitForClose(timeout: 2) && String(decoding: events.buffered, as: UTF8.self).contains("retry: 1000\n\n"))
        #expect(socket.waitForClose(timeout: 2) && socket.buffered.suffix(4) == [0x88, 0x02, 0x03, 0xE9], "Close 1001: \(socket.buffered.suffix(8))")
    }

    /// Changes another process commits (`api import` while the server runs) reach the streams too: the server finds
    /// them in the log at its next tick.
    @Test(.timeLimit(.minutes(3)))
    func anImportByAnotherProcessIsStreamed() throws {
        let (deployment, token) = try Self.exampleDeployment()
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let events = try server.connect()
        try events.send("GET /projects/events HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(token)\r\n\r\n")
        _ = events.readAvailable(timeout: 0.5)
        let lines = (1...3).map { #"{"name": "imported-\#($0)", "owner_id": 1}"# }.joined(separator: "\n") + "\n"
        let file = try SharedTestData.temporaryFile(named: "projects.ndjson", contents: Array(lines.utf8))
        let imported = try deployment.run(["import", "projects", file])
        #expect(imported.status == 0, "\(imported)")
        var received = ""
        for _ in 0..<40 where !received.contains("imported-3") {
            _ = events.readAvailable(timeout: 0.05)
            received = String(decoding: events.buffered, as: UTF8.self)
        }
        #expect(received.contains("id: 1\nevent: created") && received.contains("id: 3\nevent: created") && received.contains("imported-3"), "\(received)")
    }
}
