import Glibc
import TestKit
import Testing

/// Issue 5, must show 1 and 2: the whole users and OAuth2 flow over real sockets with Python `requests`
/// (`scripts/checks/users_flow_check.py`), and a stored hash checked with `argon2-cffi`.
@Suite(.serialized) struct UsersFlowTests {
    @Test(.timeLimit(.minutes(3)))
    func usersAndOAuth2FlowWithARealClient() throws {
        let deployment = try TestDeployment()
        let admin = try deployment.addUser("admin@example.com", password: "admin-password-1", admin: true)
        try #require(admin.status == 0, "\(admin)")
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let result = try TestDeployment.script("users_flow_check.py", [
            "--url", "http://127.0.0.1:\(server.port)", "--db", deployment.databasePath, "--secret", TestDeployment.secret,
            "--admin-email", "admin@example.com", "--admin-password", "admin-password-1",
        ], timeout: 90)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains(" checks passed, 0 failed"), "\(result)")
    }
}

/// Issue 5, must show 3: 64 concurrent clients, and `kill -9` in the middle of a write load.
@Suite(.serialized) struct UsersLoadTests {
    /// No 5xx, no "database is locked", every created user readable, and every 201 in the database afterwards.
    @Test(.timeLimit(.minutes(3)))
    func sixtyFourClientsCreateAndReadUsersForTenSeconds() throws {
        let (deployment, token) = try TestDeployment.withAdmin(TestDeployment.withoutRateLimits)
        let acked = deployment.directory + "/acked.txt"
        let server = try deployment.serve()
        let load = try TestDeployment.script("load_check.py", [
            "load", "--url", "http://127.0.0.1:\(server.port)", "--admin-token", token, "--seconds", "10", "--clients", "64", "--acked", acked,
        ], timeout: 60)
        #expect(server.terminate() == 0)
        #expect(load.status == 0, "\(load)")
        let verify = try TestDeployment.script("load_check.py", ["verify", "--db", deployment.databasePath, "--acked", acked], timeout: 60)
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stdout.contains(#""missing": 0"#), "\(verify)")
    }

    /// `kill -9` during a write load, then a restart: every user whose creation was answered 201 exists.
    @Test(.timeLimit(.minutes(3)))
    func acknowledgedUsersSurviveKillNine() throws {
        let (deployment, token) = try TestDeployment.withAdmin(TestDeployment.withoutRateLimits)
        let (load, acked, killed) = try deployment.loadThenKill(try deployment.serve(), target: "users", token: token, after: 3)
        #expect(killed == 128 + SIGKILL)
        #expect(load.status == 0, "\(load)")
        let restarted = try deployment.serve()
        let client = try restarted.connect()
        try client.send("GET /readyz HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try client.readResponse().status == 200, "the database opens cleanly after the crash")
        #expect(restarted.terminate() == 0)
        let verify = try TestDeployment.script("load_check.py", ["verify", "--db", deployment.databasePath, "--acked", acked], timeout: 60)
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stdout.contains(#""missing": 0"#), "\(verify)")
    }
}

/// Issue 5, must show 4: 200 concurrent wrong-password logins are throttled (at most the per-account limit
/// reach a password check, at the real Argon2 cost) while /healthz keeps its p99 under 10 ms.
@Suite(.serialized) struct LoginFloodTests {
    @Test(.timeLimit(.minutes(3)))
    func aLoginFloodIsThrottledAndHealthzStaysFast() throws {
        let deployment = try TestDeployment(["API_AUTH_ARGON2_MEMORY_KIB": "19456", "API_AUTH_ARGON2_ITERATIONS": "2"])
        try #require(try deployment.addUser("victim@example.com", password: "victim-password-1").status == 0)
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let result = try TestDeployment.script("login_flood_check.py", [
            "--url", "http://127.0.0.1:\(server.port)", "--api", try APIBinary.path(), "--attempts", "200", "--max-verified", "5",
        ], timeout: 90)
        #expect(result.status == 0, "\(result)")
    }
}
