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

    private static func check(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 90) throws -> ProcessResult {
        try PythonTool.run("python", environment: environment, [SharedTestData.repositoryRoot + "/scripts/checks/realtime_check.py"] + arguments,
                           timeout: timeout)
    }

    /// Must show 2: a filtered subscriber, a writer creating, updating and deleting, the server killed with `kill -9`
    /// twice and restarted; reconnecting with `Last-Event-ID`, the subscriber gets exactly the events the change log
    /// gives for its filter, in order, with no gap and no duplicate.
    @Test(.timeLimit(.minutes(3)))
    func everyMatchingEventOnceInOrderAcrossKillNine() throws {
        var environment = TestDeployment.withoutRateLimits
        environment["API_RESOURCES"] = try Self.exampleResources()
        let (deployment, token) = try TestDeployment.withAdmin(environment)
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
        var environment = TestDeployment.withoutRateLimits
        environment["API_RESOURCES"] = try Self.exampleResources()
        environment["API_REALTIME_MAX_QUEUE_BYTES"] = "65536"
        let (deployment, token) = try TestDeployment.withAdmin(environment)
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let result = try Self.check(["slow", "--url", "http://127.0.0.1:\(server.port)", "--token", token])
        #expect(result.status == 0, "\(result)")
    }

    /// The WebSocket's answers: refusals with the status a request would get, `since`, `unsubscribe`.
    @Test(.timeLimit(.minutes(3)))
    func theWebSocketProtocolAnswersEachMessage() throws {
        var environment = TestDeployment.withoutRateLimits
        environment["API_RESOURCES"] = try Self.exampleResources()
        let (deployment, token) = try TestDeployment.withAdmin(environment)
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let result = try Self.check(["protocol", "--url", "http://127.0.0.1:\(server.port)", "--token", token])
        #expect(result.status == 0, "\(result)")
    }
}
