import Glibc
import TestKit
import Testing

/// Issue 14, items 4 and 5: behind a real nginx listed in `server.trusted_proxies`, the access log and the login
/// throttle both see the client nginx names, and an attacker cannot lock another user out.
@Suite(.serialized) struct ProxyTests {
    @Test(.timeLimit(.minutes(3)))
    func fiftyFailuresFromOneAddressLeaveTheRealUserFreeAndTheLogNamesEachClient() throws {
        let deployment = try TestDeployment(["API_SERVER_TRUSTED_PROXIES": "127.0.0.1", "API_LOG_ACCESS": "on"])
        try #require(try deployment.addUser("user@example.com", password: "user-password-1").status == 0)
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let proxy = try ReverseProxy(upstreamPort: server.port)

        let attacker = try proxy.connect(from: "127.0.0.2")
        let statuses = try (0..<50).map { number in try Self.login(attacker, password: "wrong-password-\(number)").status }
        #expect(Array(statuses.prefix(5)) == Array(repeating: 400, count: 5), "\(statuses)")
        #expect(statuses.dropFirst(5).allSatisfy { $0 == 429 }, "past the (account, address) limit: \(statuses)")

        let started = TestClient.now()
        let user = try Self.login(try proxy.connect(from: "127.0.0.3"), password: "user-password-1")
        #expect(user.status == 200, "the real user logs in from elsewhere: \(user)")
        #expect(TestClient.now() - started < 2, "not slowed: the account is far below its slow-down threshold")

        let clients = try Self.loggedClients(of: server, path: "/token", count: 51)
        #expect(clients.filter { $0 == "127.0.0.2" }.count == 50 && clients.filter { $0 == "127.0.0.3" }.count == 1, "\(clients)")
        let log = server.process.stdout + server.process.stderr
        #expect(!log.contains("wrong-password") && !log.contains("user-password-1"), "no password reaches a log line (issue 14, item 3)")
    }

    /// Issue 19, must show 3: behind nginx, clients with different `X-Forwarded-For` are limited apart; a client that
    /// forges `X-Forwarded-For` without going through the trusted proxy is limited as the address it comes from.
    @Test(.timeLimit(.minutes(3)))
    func rateLimitsKeyOnTheClientTheTrustedProxyNames() throws {
        let deployment = try TestDeployment(["API_SERVER_TRUSTED_PROXIES": "127.0.0.1", "API_HTTP_RATE_LIMITS_RULES": "read: read 1/m 3 address"])
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let proxy = try ReverseProxy(upstreamPort: server.port)
        let statuses = { (client: () throws -> TestClient, forwardedFor: String?) throws -> [Int] in
            try (0..<4).map { _ in
                let connection = try client()
                try connection.send("GET /users/me HTTP/1.1\r\nHost: a\r\n" + (forwardedFor.map { "X-Forwarded-For: \($0)\r\n" } ?? "") + "\r\n")
                return try connection.readResponse().status
            }
        }
        #expect(try statuses({ try proxy.connect(from: "127.0.0.2") }, nil) == [401, 401, 401, 429], "the first client, through nginx")
        let refused = try proxy.connect(from: "127.0.0.2")
        try refused.send("GET /users/me HTTP/1.1\r\nHost: a\r\n\r\n")
        let answer = try refused.readResponse()
        #expect(answer.header("ratelimit-policy") == #""read";q=3;w=180"# && answer.header("retry-after") == "60", "\(answer)")
        #expect(try statuses({ try proxy.connect(from: "127.0.0.3") }, nil) == [401, 401, 401, 429], "another client: its own allowance")
        // Not through the proxy: 127.0.0.4 is not trusted, so its X-Forwarded-For is ignored, whatever it names.
        #expect(try statuses({ try TestClient(port: server.port, source: "127.0.0.4") }, "10.0.0.1") == [401, 401, 401, 429])
        #expect(try statuses({ try TestClient(port: server.port, source: "127.0.0.4") }, "10.0.0.2") == [429, 429, 429, 429],
                "a new forged address does not buy a new allowance")
    }

    private static func login(_ client: TestClient, password: String) throws -> TestResponse {
        try client.postForm("/token", "username=user%40example.com&password=\(password)", timeout: 10)
    }

    /// The `client` field of the access-log lines for `path`, once `count` of them are written.
    private static func loggedClients(of server: RunningAPIServer, path: String, count: Int) throws -> [String] {
        var clients: [String] = []
        let deadline = TestClient.now() + 10
        while clients.count < count && TestClient.now() < deadline {
            usleep(50_000)
            clients = server.process.stdout.split(separator: "\n").filter { $0.contains(#""path":"\#(path)""#) }.compactMap { line in
                line.split(separator: #""client":""#).dropFirst().first?.split(separator: "\"").first.map(String.init)
            }
        }
        return clients
    }
}
