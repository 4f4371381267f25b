import Glibc
import JSON
import TestKit
import Testing

/// Issue 21: the real `api` binary on PostgreSQL (a private cluster each test makes): the users flow, two instances
/// on one database, `kill -9` under load, and the database stopped for 5 s under load.
@Suite(.serialized) struct PostgresServeTests {
    /// A deployment on `server`'s database (its own data directory: each instance has its own `handover.sock`).
    private static func deployment(on server: PostgresServer, _ extra: [String: String] = [:]) throws -> TestDeployment {
        try TestDeployment(["API_DATABASE_URL": server.tcpConnectionString].merging(TestDeployment.withoutRateLimits) { $1 }.merging(extra) { $1 })
    }

    /// One request on a new connection; `Connection: close` so the answer ends the exchange.
    private static func request(_ port: Int, _ method: String, _ path: String, token: String? = nil, form: String? = nil,
                                host: String = "127.0.0.1") throws -> TestResponse {
        let client = try TestClient(port: port, host: host)
        defer { client.close() }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if let form { head += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(form.utf8.count)\r\n" }
        try client.send(head + "\r\n" + (form ?? ""))
        return try client.readResponse(timeout: 10)
    }

    /// Must show 1: the users and OAuth2 flow of issue 5, unchanged, against an instance on PostgreSQL; the stored
    /// hash is read from PostgreSQL and checked by argon2-cffi.
    @Test(.timeLimit(.minutes(3)))
    func theUsersFlowPassesOnPostgreSQL() throws {
        let database = try PostgresServer()
        defer { withExtendedLifetime(database) {} }
        let deployment = try Self.deployment(on: database)
        let admin = try deployment.addUser("admin@example.com", password: "admin-password-1", admin: true)
        try #require(admin.status == 0, "\(admin)")
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let result = try TestDeployment.script("users_flow_check.py", [
            "--url", "http://127.0.0.1:\(server.port)", "--db", database.tcpConnectionString, "--secret", TestDeployment.secret,
            "--admin-email", "admin@example.com", "--admin-password", "admin-password-1",
        ], timeout: 90)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains(" checks passed, 0 failed"), "\(result)")
        #expect(server.terminate() == 0, "SIGTERM stops it at once, its loops given back before the job runner's last tick")
    }

    /// Must show 2, on loopback: two instances on one database. Actions posted to both run exactly once each (the job
    /// runners claim with SKIP LOCKED); a token from A works on B; a token revoked through A is refused by B within a
    /// second and a half (B polls revocations every second); a user made through B signs in through A.
    @Test(.timeLimit(.minutes(3)))
    func twoInstancesShareJobsTokensAndRevocations() throws {
        let database = try PostgresServer()
        defer { withExtendedLifetime(database) {} }
        let (first, adminToken) = try TestDeployment.withAdmin(["API_DATABASE_URL": database.tcpConnectionString].merging(TestDeployment.withoutRateLimits) { $1 })
        let second = try Self.deployment(on: database)
        let a = try first.serve(), b = try second.serve()
        defer {
            _ = a.terminate()
            _ = b.terminate()
        }
        let loads = try [(a, "a"), (b, "b")].map { server, name in
            let acked = first.directory + "/acked-\(name).txt"
            return (acked, try ChildProcess(executable: PythonTool.path("python"), arguments: [
                SharedTestData.repositoryRoot + "/scripts/checks/load_check.py", "load", "--target", "actions", "--url", "http://127.0.0.1:\(server.port)",
                "--admin-token", adminToken, "--seconds", "4", "--clients", "8", "--acked", acked,
            ]))
        }
        for (acked, load) in loads {
            let finished = try load.finish(timeout: 60)
            #expect(finished.status == 0, "\(finished)")
            let verify = try TestDeployment.script("load_check.py", ["verify", "--target", "actions", "--db", database.tcpConnectionString, "--acked", acked],
                                                   timeout: 60)
            #expect(verify.status == 0 && verify.stdout.contains(#""missing": 0"#) && verify.stdout.contains(#""repeated": 0"#), "\(verify)")
            print("actions through one instance: \(verify.stdout)", terminator: "")
        }

        let signup = try TestClient(port: b.port)
        let body = #"{"name":"Carol","email":"carol@example.com","password":"carol-password-1"}"#
        try signup.send("POST /users/ HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(try signup.readResponse().status == 201)
        signup.close()
        let login = try Self.request(a.port, "POST", "/token", form: "username=carol@example.com&password=carol-password-1")
        let token = try #require(try JSONParser.parse(login.body)["access_token"]?.stringValue, "\(login)")
        #expect(try Self.request(b.port, "GET", "/users/me", token: token).status == 200, "a token from A works on B")
        #expect(try Self.request(a.port, "POST", "/token/revoke", token: token, form: "token=\(token)").status == 200)
        let revokedAt = TestClient.now()
        var refusedAfter: Double?
        while refusedAfter == nil && TestClient.now() - revokedAt < 5 {
            if try Self.request(b.port, "GET", "/users/me", token: token).status == 401 { refusedAfter = TestClient.now() - revokedAt } else { usleep(20_000) }
        }
        let seconds = try #require(refusedAfter, "B still accepts the token 5 s after A revoked it")
        print("a token revoked through A was refused by B after \(Int(seconds * 1000)) ms")
        #expect(seconds < 1.5)
        #expect(a.terminate() == 0 && b.terminate() == 0)
    }

    /// `kill -9` in the middle of a write load on PostgreSQL, then a restart: every user answered 201 exists.
    @Test(.timeLimit(.minutes(3)))
    func acknowledgedUsersSurviveKillNine() throws {
        let database = try PostgresServer()
        defer { withExtendedLifetime(database) {} }
        let (deployment, token) = try TestDeployment.withAdmin(["API_DATABASE_URL": database.tcpConnectionString].merging(TestDeployment.withoutRateLimits) { $1 })
        let (load, acked, killed) = try deployment.loadThenKill(try deployment.serve(), target: "users", token: token, after: 3)
        #expect(killed == 128 + SIGKILL)
        #expect(load.status == 0, "\(load)")
        let restarted = try deployment.serve()
        #expect(try Self.request(restarted.port, "GET", "/readyz").status == 200)
        #expect(restarted.terminate() == 0)
        let verify = try TestDeployment.script("load_check.py", ["verify", "--db", database.tcpConnectionString, "--acked", acked], timeout: 60)
        #expect(verify.status == 0 && verify.stdout.contains(#""missing": 0"#), "\(verify)")
        print("kill -9 on PostgreSQL: \(verify.stdout)", terminator: "")
    }

    /// Must show 3: PostgreSQL stopped for 5 s under a write load. No request waits past the statement timeout (1 s)
    /// and a margin; writes are 503 with `Retry-After` meanwhile, `/readyz` goes 503 and back to 200, and every user
    /// answered 201 exists afterwards.
    @Test(.timeLimit(.minutes(3)))
    func theDatabaseStoppedForFiveSecondsUnderLoad() throws {
        let database = try PostgresServer()
        defer { withExtendedLifetime(database) {} }
        let deployment = try Self.deployment(on: database, ["API_DATABASE_STATEMENT_TIMEOUT_MS": "1000"])
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let acked = deployment.directory + "/acked.txt"
        let load = try ChildProcess(executable: PythonTool.path("python"), arguments: [
            SharedTestData.repositoryRoot + "/scripts/checks/outage_check.py", "--url", "http://127.0.0.1:\(server.port)", "--seconds", "14",
            "--clients", "8", "--max-wait", "3", "--acked", acked,
        ])
        sleep(3)
        database.stop()
        sleep(2)
        let down = try Self.request(server.port, "GET", "/metrics")
        sleep(3)
        try database.start()
        let result = try load.finish(timeout: 60)
        #expect(down.status == 200 && down.text.contains("\napi_database_up 0\n"), "/metrics answers while the database is down, saying so")
        let up = try Self.request(server.port, "GET", "/metrics").text
        #expect(up.contains("\napi_database_up 1\n") && up.contains(#"engine="postgresql""#), "\(up.suffix(400))")
        print("PostgreSQL stopped for 5 s: \(result.stdout)", terminator: "")
        #expect(result.status == 0, "\(result)")
        let stats = try JSONParser.parse(Array(result.stdout.utf8))
        let readiness = stats["readyz"]?.arrayValue?.compactMap { $0.arrayValue?.last?.intValue } ?? []
        #expect(readiness.first == 200 && readiness.contains(503) && readiness.last == 200, "readyz: \(readiness)")
        #expect((stats["statuses"]?["503"]?.intValue ?? 0) > 0, "writes were refused while it was down")
        #expect(try Self.request(server.port, "GET", "/readyz").status == 200)
        #expect(server.terminate() == 0)
        let verify = try TestDeployment.script("load_check.py", ["verify", "--db", database.tcpConnectionString, "--acked", acked], timeout: 60)
        #expect(verify.status == 0 && verify.stdout.contains(#""missing": 0"#), "\(verify)")
    }

    /// The resource the rig's load writes.
    private static let items = #"{"items": {"fields": {"name": {"type": "string", "max_length": 100}}, "rules": {"list": "public", "read": "public", "create": "authenticated", "update": "authenticated", "delete": "authenticated"}}}"#

    /// Must show 2: PostgreSQL and two instances each on a host of its own (network namespaces on a bridge), the load
    /// from the root namespace. Under a load of resource writes and actions through both, A is killed with SIGKILL and
    /// started again, then cut off from the bridge (and so from PostgreSQL) for 10 s and put back. Afterwards every
    /// write answered 2xx exists exactly once, every acknowledged action ran exactly once, the subscriber on B received
    /// every change of the log in order, and a token revoked through A is refused by B within a second.
    @Test(.timeLimit(.minutes(3)), .enabled(if: getuid() == 0, "the rig's network namespaces need root"))
    func twoInstancesOnARigSurviveAKillAndAPartition() throws {
        let rig = try NetworkRig(hosts: ["db", "a", "b"])
        let database = try PostgresServer(on: "db", of: rig)
        defer {
            database.stop()
            withExtendedLifetime(rig) {}
        }
        let url = "host=\(database.address) port=\(database.port) user=postgres dbname=postgres"
        let shared = ["API_DATABASE_URL": url, "API_RESOURCES": Self.items, "API_DATABASE_STATEMENT_TIMEOUT_MS": "1000"]
            .merging(TestDeployment.withoutRateLimits) { $1 }
        let (first, token) = try TestDeployment.withAdmin(shared)
        let second = try TestDeployment(shared)
        func serve(_ deployment: TestDeployment, on host: String) throws -> RunningAPIServer {
            let environment = deployment.environment.merging(["API_SERVER_HOST": rig.address(of: host), "API_SERVER_PORT": "8000"]) { $1 }
            return try APIBinary.waitUntilServing(try rig.start(on: host, try APIBinary.path(), ["serve"], environment: environment))
        }
        var a = try serve(first, on: "a")
        let b = try serve(second, on: "b")
        defer {
            _ = a.terminate()
            _ = b.terminate()
        }
        let (addressA, addressB) = (rig.address(of: "a") + ":8000", rig.address(of: "b") + ":8000")
        let load = try ChildProcess(executable: PythonTool.path("python"), arguments: [
            SharedTestData.repositoryRoot + "/scripts/checks/cluster_check.py", "load", "--a", addressA, "--b", addressB, "--token", token,
            "--seconds", "22", "--out", first.directory,
        ])
        sleep(3)
        a.process.send(signal: SIGKILL)
        #expect(a.process.wait(timeout: 10) == 128 + SIGKILL)
        a = try serve(first, on: "a")
        sleep(3)
        try rig.isolate("a")
        sleep(10)
        try rig.reconnect("a")
        let loaded = try load.finish(timeout: 90)
        print("rig load: \(loaded.stdout)", terminator: "")
        #expect(loaded.status == 0, "\(loaded)")
        let verify = try TestDeployment.script("cluster_check.py", ["verify", "--db", url, "--out", first.directory], timeout: 90)
        print("rig verify: \(verify.stdout)", terminator: "")
        #expect(verify.status == 0, "\(verify)")

        let login = try Self.request(b.port, "POST", "/token", form: "username=admin@example.com&password=admin-password-1", host: rig.address(of: "b"))
        let fresh = try #require(try JSONParser.parse(login.body)["access_token"]?.stringValue, "\(login)")
        var answered = false
        for _ in 0..<100 where !answered {   // A's links come back within its backoff (5 s at most)
            answered = (try? Self.request(a.port, "GET", "/users/me", token: fresh, host: rig.address(of: "a")).status) == 200
            if !answered { usleep(100_000) }
        }
        #expect(answered, "A serves again after the partition")
        #expect(try Self.request(a.port, "POST", "/token/revoke", token: fresh, form: "token=\(fresh)", host: rig.address(of: "a")).status == 200)
        let revokedAt = TestClient.now()
        var refusedAfter: Double?
        while refusedAfter == nil && TestClient.now() - revokedAt < 5 {
            let status = try Self.request(b.port, "GET", "/users/me", token: fresh, host: rig.address(of: "b")).status
            if status == 401 { refusedAfter = TestClient.now() - revokedAt } else { usleep(10_000) }
        }
        let seconds = try #require(refusedAfter, "B still accepts the token 5 s after A revoked it")
        print("on the rig, a token revoked through A was refused by B after \(Int(seconds * 1000)) ms")
        #expect(seconds < 1)
        #expect(a.terminate() == 0 && b.terminate() == 0)
    }
}
