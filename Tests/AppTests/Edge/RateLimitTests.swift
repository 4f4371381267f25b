import AppTestKit
import HTTP
import Testing
import TestKit
@testable import App

/// The rate limits of the running application, on a manual clock: a flood from one address is refused with the
/// draft's fields while another address is served, honouring `Retry-After` works, and a subject rule keys on the user.
@Suite struct RateLimitTests {
    private static func get(_ path: String, from source: String = "127.0.0.1", token: String? = nil, on server: LiveServer) throws -> TestResponse {
        let client = try TestClient(port: server.port, source: source)
        try client.send("GET \(path) HTTP/1.1\r\nHost: a\r\n" + (token.map { "Authorization: Bearer \($0)\r\n" } ?? "") + "\r\n")
        return try client.readResponse()
    }

    @Test func aFloodFromOneAddressIsRefusedAndAnotherAddressIsServed() async throws {
        let time = ManualTime()
        try await withLiveServer(time: time, { $0.rateLimitRules = [try! RateLimitRule(parsing: "read: read 1/s 5 address")] }) { server in
            let statuses = try (0..<6).map { _ in try Self.get("/users/me", on: server).status }
            #expect(statuses == [401, 401, 401, 401, 401, 429], "counted before authentication")
            let refused = try Self.get("/users/me", on: server)
            #expect(refused.status == 429)
            #expect(refused.text == #"{"detail":"Too Many Requests"}"#)
            #expect(refused.header("retry-after") == "1")
            #expect(refused.header("ratelimit-policy") == #""read";q=5;w=5"#)
            #expect(refused.header("ratelimit") == #""read";r=0;t=1"#)
            #expect(try Self.get("/users/me", from: "127.0.0.2", on: server).status == 401, "another address has its own allowance")
            #expect(try Self.get("/healthz", on: server).status == 200, "probes are never limited")
            time.advance(milliseconds: 1_000)                            // honouring Retry-After
            #expect(try Self.get("/users/me", on: server).status == 401)
            let metrics = try Self.get("/metrics", on: server).text
            #expect(metrics.contains(#"api_rate_limited_total{rule="read"} 2"#), "\(metrics.split(separator: "\n").filter { $0.contains("rate_limited") })")
        }
    }

    @Test func aSubjectRuleKeysOnTheUserNotTheAddress() async throws {
        let time = ManualTime()
        try await withLiveServer(time: time, { $0.rateLimitRules = [try! RateLimitRule(parsing: "read: read 1/s 2 subject")] }) { server in
            let client = try server.connect()
            var tokens: [String] = []
            for email in ["a@example.com", "b@example.com"] {
                let body = #"{"name": "n", "email": "\#(email)", "password": "password-123"}"#
                try client.send("POST /users/ HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
                #expect(try client.readResponse().status == 201)
                let login = try client.postForm("/token", "username=\(email)&password=password-123")
                tokens.append(try #require(login.text.split(separator: "\"").dropFirst(3).first.map(String.init)))
            }
            #expect(try (0..<3).map { _ in try Self.get("/users/me", token: tokens[0], on: server).status } == [200, 200, 429])
            #expect(try Self.get("/users/me", token: tokens[1], on: server).status == 200, "the same address, another user")
        }
    }

    @Test func everyLimitedOperationDocumentsThe429() throws {
        var config = LiveServer.testDefaults
        config.rateLimitRules = Config.defaults.rateLimitRules
        let application = try Application(config: config)
        defer { application.close() }
        let operations = application.makeAPI().operations
        #expect(operations.filter { $0.path != "/healthz" && $0.path != "/readyz" && $0.path != "/metrics" }
            .allSatisfy { $0.responses.contains { $0.status == 429 } })
        #expect(!operations.first { $0.path == "/healthz" }!.responses.contains { $0.status == 429 })
    }
}
