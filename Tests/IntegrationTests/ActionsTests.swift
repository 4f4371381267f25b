import Glibc
import TestKit
import Testing

/// Durable background work (issue 8): `POST /action/` answered only once its job is committed, and jobs that
/// survive `kill -9`.
@Suite(.serialized) struct ActionsTests {
    /// Must show 1: `POST /action/` load, `kill -9` in the middle, restart: once the queue drains, every request
    /// answered 200 has exactly one audit entry.
    @Test(.timeLimit(.minutes(3)))
    func everyAcknowledgedActionHasExactlyOneAuditEntryAfterKillNine() throws {
        let (deployment, token) = try TestDeployment.withAdmin(TestDeployment.withoutRateLimits)
        let (load, acked, killed) = try deployment.loadThenKill(try deployment.serve(), target: "actions", token: token, after: 2.5)
        #expect(killed == 128 + SIGKILL)
        #expect(load.status == 0, "\(load)")
        let restarted = try deployment.serve()
        defer { _ = restarted.terminate() }
        let verify = try TestDeployment.script("load_check.py", [
            "verify", "--target", "actions", "--db", deployment.databasePath, "--acked", acked, "--drain-seconds", "30",
        ], timeout: 60)
        #expect(verify.status == 0, "\(verify)")
        #expect(verify.stdout.contains(#""missing": 0, "repeated": 0"#), "\(verify)")
    }

    /// A job that cannot do its work (the audit file's directory is missing) is retried, then dead with its error;
    /// once the cause is fixed, `api jobs retry` runs it and the entry is written, once.
    @Test(.timeLimit(.minutes(3)))
    func aDeadAuditJobRunsAgainAfterTheCauseIsFixed() throws {
        let logDirectory = try SharedTestData.temporaryDirectory() + "/not-yet"
        let (deployment, token) = try TestDeployment.withAdmin([
            "API_AUDIT_FILE": logDirectory + "/audit.log", "API_JOBS_MAX_ATTEMPTS": "2", "API_JOBS_BACKOFF_BASE_MS": "20", "API_JOBS_RETENTION_S": "3600",
        ])
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let client = try server.connect()
        try client.send("POST /action/?user=carol HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(token)\r\nX-Request-ID: dead-1\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200 && response.text == #"{"message":"Action scheduled"}"#, "\(response)")
        var listed = ""
        for _ in 0..<100 where !listed.contains("\tdead\t") {
            usleep(50_000)
            listed = try deployment.run(["jobs", "list", "--state", "dead"]).stdout
        }
        #expect(listed.contains("\taudit\tdead\t2/2\t") && listed.contains("cannot open \(logDirectory)/audit.log"), "\(listed)")
        let id = try #require(listed.split(separator: "\n").dropFirst().first?.split(separator: "\t").first)
        #expect(mkdir(logDirectory, 0o700) == 0)
        #expect(try deployment.run(["jobs", "retry", String(id)]).status == 0)
        var line = ""
        for _ in 0..<100 where line.isEmpty {
            usleep(50_000)
            line = String(decoding: (try? SharedTestData.readFile(logDirectory + "/audit.log")) ?? [], as: UTF8.self)
        }
        #expect(line.contains(#""user":"carol""#) && line.contains(#""request_id":"dead-1""#), "the audit line: \(line)")
        let succeeded = try deployment.run(["jobs", "list", "--state", "succeeded"])
        #expect(succeeded.stdout.contains("\(id)\taudit\tsucceeded\t1/2"), "\(succeeded)")
    }
}

/// Issue 14, item 2: job-runner wake-ups used to pile up, so an idle server committed more the more actions it had
/// served (about 170 commits a second after 600). Now it polls once a second whatever came before.
@Suite(.serialized) struct IdleCommitTests {
    /// About 12 s alone; three minutes leave room for a full parallel run on 2 cores.
    @Test(.timeLimit(.minutes(3)))
    func anIdleServerCommitsAtMostOnceASecondAfterTenAndAfterAThousandActions() throws {
        let (deployment, token) = try TestDeployment.withAdmin(TestDeployment.withoutRateLimits)
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let client = try server.connect()
        try Self.act(10, client: client, token: token)
        #expect(try Self.idleCommits(client) <= 5, "after 10 actions")
        try Self.act(990, client: client, token: token)
        #expect(try Self.idleCommits(client) <= 5, "after 1,000 actions")
    }

    /// Sends `count` actions, pipelined a hundred at a time, and checks each was scheduled.
    private static func act(_ count: Int, client: TestClient, token: String) throws {
        var left = count
        while left > 0 {
            let batch = min(left, 100)
            let request = "POST /action/ HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(token)\r\nContent-Length: 0\r\n\r\n"
            try client.send(String(repeating: request, count: batch))
            for _ in 0..<batch { #expect(try client.readResponse().status == 200) }
            left -= batch
        }
    }

    /// The commits an idle server makes in a little under 5 seconds, once the actions' jobs have run (a second's rest).
    private static func idleCommits(_ client: TestClient) throws -> Int {
        usleep(1_000_000)
        let before = try commits(client)
        usleep(4_900_000)
        return try commits(client) - before
    }

    private static func commits(_ client: TestClient) throws -> Int {
        try client.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n")
        let exposition = try client.readResponse().text
        let line = try #require(exposition.split(separator: "\n").first { $0.hasPrefix("api_database_commits_total ") })
        return try #require(Int(line.split(separator: " ")[1]))
    }
}
