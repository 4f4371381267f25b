import Glibc
import TestKit
import Testing

/// `api migrate`, `api user` and `api token` (DESIGN §1, issue 5) against the configured database, with and
/// without a server running; and what `serve` does with a database it must refuse.
@Suite struct AdminCommandTests {
    struct Mistake: Sendable, CustomTestStringConvertible {
        let name: String
        let arguments: [String]
        let input: String?
        let status: Int32
        let mentions: String
        var testDescription: String { name }
    }

    /// Bad input: one stderr line naming the problem, and exit 2; a state problem (a taken email, an unknown
    /// user) exits 1.
    @Test(arguments: [
        Mistake(name: "bad email", arguments: ["user", "add", "not-an-email", "--password-stdin"], input: "long-password\n", status: 2, mentions: "not a valid email"),
        Mistake(name: "short password", arguments: ["user", "add", "a@example.com", "--password-stdin"], input: "short\n", status: 2, mentions: "8 to 1024"),
        Mistake(name: "no terminal", arguments: ["user", "add", "a@example.com"], input: nil, status: 2, mentions: "--password-stdin"),
        Mistake(name: "empty stdin", arguments: ["user", "add", "a@example.com", "--password-stdin"], input: "", status: 2, mentions: "empty"),
        Mistake(name: "stray option", arguments: ["user", "list", "--admin"], input: nil, status: 2, mentions: "--admin"),
        Mistake(name: "unknown action", arguments: ["user", "remove", "a@example.com"], input: nil, status: 2, mentions: "remove"),
        Mistake(name: "missing subject", arguments: ["token", "issue"], input: nil, status: 2, mentions: "--subject"),
        Mistake(name: "bad ttl", arguments: ["token", "issue", "--subject", "a@example.com", "--ttl", "soon"], input: nil, status: 2, mentions: "--ttl"),
        Mistake(name: "unknown scope", arguments: ["token", "issue", "--subject", "admin@example.com", "--scope", "root"], input: nil, status: 2, mentions: "root"),
        Mistake(name: "unknown user", arguments: ["token", "issue", "--subject", "nobody@example.com"], input: nil, status: 1, mentions: "nobody@example.com"),
        Mistake(name: "taken email", arguments: ["user", "add", "ADMIN@example.com", "--password-stdin"], input: "long-password\n", status: 1, mentions: "already exists"),
        Mistake(name: "unknown token", arguments: ["token", "revoke", "no-such-jti"], input: nil, status: 1, mentions: "no-such-jti"),
        Mistake(name: "migrate what", arguments: ["migrate", "down"], input: nil, status: 2, mentions: "down"),
        Mistake(name: "update nothing", arguments: ["user", "update", "admin@example.com"], input: nil, status: 2, mentions: "--no-admin"),
        Mistake(name: "admin and not", arguments: ["user", "update", "admin@example.com", "--admin", "--no-admin"], input: nil, status: 2, mentions: "contradict"),
        Mistake(name: "empty new name", arguments: ["user", "update", "admin@example.com", "--name", ""], input: nil, status: 2, mentions: "1 to 100"),
        Mistake(name: "update nobody", arguments: ["user", "update", "nobody@example.com", "--admin"], input: nil, status: 1, mentions: "nobody@example.com"),
        Mistake(name: "short new password", arguments: ["user", "set-password", "admin@example.com", "--password-stdin"], input: "short\n", status: 2, mentions: "8 to 1024"),
        Mistake(name: "set-password no terminal", arguments: ["user", "set-password", "admin@example.com"], input: nil, status: 2, mentions: "--password-stdin"),
        Mistake(name: "delete nobody", arguments: ["user", "delete", "nobody@example.com"], input: nil, status: 1, mentions: "nobody@example.com"),
        Mistake(name: "delete what", arguments: ["user", "delete"], input: nil, status: 2, mentions: "EMAIL"),
        Mistake(name: "no-admin on add", arguments: ["user", "add", "b@example.com", "--no-admin", "--password-stdin"], input: "long-password\n", status: 2, mentions: "--no-admin"),
    ])
    func mistakesGetOneLineAndTheRightExitCode(_ mistake: Mistake) throws {
        let deployment = try TestDeployment()
        try #require(try deployment.addUser("admin@example.com", password: "admin-password", admin: true).status == 0)
        let result = try deployment.run(mistake.arguments, input: mistake.input)
        #expect(result.status == mistake.status, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains(mistake.mentions), "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
    }

    /// `migrate status` changes nothing; `migrate` applies; `status` then lists both as applied.
    @Test func migrateAndStatus() throws {
        let deployment = try TestDeployment()
        let before = try deployment.run(["migrate", "status"])
        #expect(before.status == 0 && before.stdout.contains("no database yet") && before.stdout.contains("pending  4 jobs without list check"), "\(before)")
        #expect(!FileSystemCheck.exists(deployment.databasePath), "status created nothing")
        let up = try deployment.run(["migrate"])
        #expect(up.stdout == "applied 1 users\napplied 2 tokens\napplied 3 jobs\napplied 4 jobs without list check\napplied 5 resource schemas\n"
                + "applied 6 users version\napplied 7 idempotency keys\napplied 8 changes\n", "\(up)")
        #expect(try deployment.run(["migrate", "up"]).stdout.contains("up to date at version 8"))
        let after = try deployment.run(["migrate", "status"])
        #expect(after.stdout.split(separator: "\n").map { $0.hasPrefix("applied  ") } == Array(repeating: true, count: 8), "\(after)")
    }

    /// `token issue` prints only the token, which the server accepts with its scope; `token revoke` run while
    /// the server is up makes the server refuse it within a second or so.
    @Test(.timeLimit(.minutes(3)))
    func anIssuedTokenWorksAndItsRevocationReachesTheRunningServer() throws {
        let deployment = try TestDeployment(["API_METRICS_MODE": "token"])
        try #require(try deployment.addUser("ops@example.com", password: "ops-password-1", admin: true).status == 0)
        let issued = try deployment.run(["token", "issue", "--subject", "ops@example.com", "--scope", "metrics", "--ttl", "10m"])
        try #require(issued.status == 0, "\(issued)")
        let token = String(issued.stdout.dropLast())
        #expect(issued.stdout.split(separator: "\n").count == 1 && token.split(separator: ".").count == 3, "only the token: \(issued)")
        let plain = try deployment.run(["token", "issue", "--subject", "ops@example.com"])
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        #expect(try get("/metrics", token: token, on: server).status == 200, "a metrics-scoped token reads /metrics")
        #expect(try get("/metrics", token: nil, on: server).status == 401)
        #expect(try get("/metrics", token: String(plain.stdout.dropLast()), on: server).status == 403, "no metrics scope")
        let listed = try deployment.run(["token", "list", "--subject", "ops@example.com"])
        let jti = try #require(listed.stdout.split(separator: "\n").dropFirst().first { $0.contains("\tmetrics\t") }?.split(separator: "\t").first)
        let revoke = try deployment.run(["token", "revoke", String(jti)])
        #expect(revoke.stdout == "revoked 1 token(s)\n", "\(revoke)")
        var status = 200
        for _ in 0..<40 where status == 200 {
            usleep(100_000)
            status = try get("/metrics", token: token, on: server).status
        }
        #expect(status == 401, "the server polls revocations about once a second")
    }

    /// Issue 14, item 9: the day-one admin commands against a running server. `update` changes the name and the admin
    /// flag; `set-password` makes the new password the one that logs in and ends the refresh tokens; `delete` revokes
    /// the user's tokens, which the server refuses within about a second; `token list` prints ISO-8601 times.
    @Test(.timeLimit(.minutes(3)))
    func updateSetPasswordAndDeleteAUserWhileTheServerRuns() throws {
        let deployment = try TestDeployment()
        try #require(try deployment.addUser("carol@example.com", password: "carol-password-1", admin: true).status == 0)
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let first = try login("carol@example.com", "carol-password-1", on: server)
        let refreshToken = try #require(first.text.split(separator: #""refresh_token":""#).dropFirst().first?.split(separator: "\"").first)

        let update = try deployment.run(["user", "update", "carol@example.com", "--name", "Carol C", "--no-admin"])
        #expect(update.status == 0 && update.stdout == "updated user 1 carol@example.com: name Carol C, not admin\n", "\(update)")
        #expect(try deployment.run(["user", "list"]).stdout.contains("1\tcarol@example.com\tCarol C\tno\t"))

        let listed = try deployment.run(["token", "list", "--subject", "carol@example.com"])
        let times = listed.stdout.split(separator: "\n").dropFirst().flatMap { $0.split(separator: "\t", omittingEmptySubsequences: false)[4...5] }
        #expect(!times.isEmpty && times.allSatisfy { $0.count == 24 && $0.hasSuffix("Z") && $0.dropFirst(10).first == "T" }, "\(listed)")

        let set = try deployment.run(["user", "set-password", "carol@example.com", "--password-stdin"], input: "carol-password-2\n")
        #expect(set.status == 0 && set.stdout.contains("ended 1 refresh token(s)"), "\(set)")
        #expect(try login("carol@example.com", "carol-password-1", on: server).status == 400, "the old password no longer works")
        let second = try login("carol@example.com", "carol-password-2", on: server)
        #expect(second.status == 200, "\(second)")
        #expect(try server.connect().postForm("/token", "grant_type=refresh_token&refresh_token=\(refreshToken)").status == 400,
                "the old session ended")

        let access = try #require(second.text.split(separator: #""access_token":""#).dropFirst().first?.split(separator: "\"").first)
        #expect(try get("/users/me", token: String(access), on: server).status == 200)
        let delete = try deployment.run(["user", "delete", "carol@example.com"])
        #expect(delete.status == 0 && delete.stdout.hasPrefix("deleted user 1 carol@example.com; revoked "), "\(delete)")
        var status = 200
        for _ in 0..<40 where status == 200 {
            usleep(100_000)
            status = try get("/users/me", token: String(access), on: server).status
        }
        #expect(status == 401, "the deleted user's token is refused")
        #expect(try deployment.run(["user", "list"]).stdout == "id\temail\tname\tadmin\tcreated_at\n")
    }

    /// A database migrated by a newer binary (a migration this one does not know) is refused by `serve`, with
    /// a line that says what to do, and exit 1.
    @Test func serveRefusesADatabaseFromANewerBinary() throws {
        let deployment = try TestDeployment()
        #expect(try deployment.run(["migrate"]).status == 0)
        try Self.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (99, 'future', '0')", on: deployment)
        let serve = try ChildProcess(executable: try APIBinary.path(), arguments: ["serve", "--port", "0"],
                                     environment: deployment.environment).finish(timeout: 10)
        #expect(serve.status == 1, "\(serve)")
        #expect(serve.stderr.contains("migrations 99") && serve.stderr.contains("newer version"), "\(serve)")
    }

    /// Issue 14, item 7: `migrate status` on a database `serve` would refuse prints why and exits 1, so scripts can
    /// rely on it; on a good one it exits 0.
    @Test(arguments: [
        "INSERT INTO schema_migrations (version, name, checksum) VALUES (99, 'future', '0')",
        "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2",
    ])
    func migrateStatusExitsOneForADatabaseServeWouldRefuse(_ sql: String) throws {
        let deployment = try TestDeployment()
        #expect(try deployment.run(["migrate"]).status == 0)
        #expect(try deployment.run(["migrate", "status"]).status == 0)
        try Self.execute(sql, on: deployment)
        let status = try deployment.run(["migrate", "status"])
        #expect(status.status == 1, "\(status)")
        #expect(status.stdout.split(separator: "\n").last?.hasPrefix("refused: ") == true, "\(status)")
    }

    /// Issue 14, item 6: a configuration error stops `serve` with exit 2 and one line before anything is written:
    /// started in an empty directory (where it would make ./data), it leaves the directory empty.
    @Test(arguments: [
        ["API_AUTH_SECRET": "too-short"],
        ["API_AUTH_SECRET_FILE": "/nonexistent/secret"],
        ["API_AUTH_RETIRED_SECRET_FILES": "/nonexistent/old-secret"],
        ["API_AUTH_ARGON2_MEMORY_KIB": "8", "API_AUTH_ARGON2_PARALLELISM": "4"],
    ])
    func aBadSettingStopsServeBeforeAnythingIsWritten(_ environment: [String: String]) throws {
        let directory = try SharedTestData.temporaryDirectory()
        let serve = try ChildProcess(executable: try APIBinary.path(), arguments: ["serve", "--port", "0"], environment: environment,
                                     workingDirectory: directory).finish(timeout: 10)
        #expect(serve.status == 2, "\(serve)")
        #expect(serve.stderrLines.count == 1, "\(serve)")
        #expect(try FileSystemCheck.entries(of: directory).isEmpty, "nothing was created")
    }

    /// The zero-config path (issue 5): in an empty directory `api serve` creates ./data/api.db, migrates and
    /// generates the secret; `api user add ... --admin` then `POST /token` works.
    @Test(.timeLimit(.minutes(3)))
    func zeroConfigServeThenAddAnAdminThenLogIn() throws {
        let directory = try SharedTestData.temporaryDirectory()
        let process = try ChildProcess(executable: try APIBinary.path(), arguments: ["serve", "--port", "0"], workingDirectory: directory)
        let server = try APIBinary.waitUntilServing(process)
        defer { _ = server.terminate() }
        #expect(FileSystemCheck.exists(directory + "/data/api.db") && FileSystemCheck.exists(directory + "/data/secret.key"))
        #expect(process.stdout.contains("auth.secret_generated"), "the generated secret is announced")
        let add = try ChildProcess(executable: try APIBinary.path(), arguments: ["user", "add", "admin@example.com", "--admin", "--password-stdin"],
                                   workingDirectory: directory, input: "admin-password-1\n").finish(timeout: 30)
        #expect(add.status == 0, "\(add)")
        let response = try server.connect().postForm("/token", "username=admin%40example.com&password=admin-password-1")
        #expect(response.status == 200, "\(response)")
        #expect(response.text.contains(#""token_type":"bearer""#))
    }

    /// Runs `sql` on the deployment's database with Python's sqlite3, as an operator's stray edit would.
    private static func execute(_ sql: String, on deployment: TestDeployment) throws {
        let result = try ChildProcess(executable: "/usr/bin/env", arguments: ["python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()", deployment.databasePath, sql]).finish(timeout: 10)
        try #require(result.status == 0, "\(result)")
    }

    private func login(_ email: String, _ password: String, on server: RunningAPIServer) throws -> TestResponse {
        try server.connect().postForm("/token", "username=\(email.split(separator: "@").joined(separator: "%40"))&password=\(password)")
    }

    private func get(_ path: String, token: String?, on server: RunningAPIServer) throws -> TestResponse {
        let client = try server.connect()
        defer { client.close() }
        try client.send("GET \(path) HTTP/1.1\r\nHost: a\r\n" + (token.map { "Authorization: Bearer \($0)\r\n" } ?? "") + "\r\n")
        return try client.readResponse()
    }
}

/// `access(2)`, without Foundation.
enum FileSystemCheck {
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The names in `directory`, without `.` and `..`.
    static func entries(of directory: String) throws -> [String] {
        guard let stream = opendir(directory) else { throw TestKitError("opendir \(directory): \(String(cString: strerror(errno)))") }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
