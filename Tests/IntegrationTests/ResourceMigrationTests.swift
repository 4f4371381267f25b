import Glibc
import JSON
import TestKit
import Testing

/// Resources across restarts (issue 16, "Must show" 6), with the real binary: an added field with a default is
/// migrated on start with the data kept; a required field without a default is refused with exit 2 and its name;
/// `api migrate plan` prints the SQL; `kill -9` during a load of creates loses no record that was answered 201.
@Suite(.serialized) struct ResourceMigrationTests {
    /// The `resources` section of config.example.json (DESIGN §10's `projects`), as JSON text.
    static func exampleResources() throws -> JSONObject {
        let example = try JSONParser.parse(try SharedTestData.readFile(SharedTestData.repositoryRoot + "/config.example.json"))
        return try #require(example["resources"]?.objectValue)
    }

    /// The example's resources with `added` fields added to `projects` and `removed` ones left out.
    static func resources(adding added: [(String, JSONValue)] = [], removing removed: [String] = []) throws -> String {
        var resources = try exampleResources()
        if var projects = resources["projects"]?.objectValue, var fields = projects["fields"]?.objectValue {
            for (name, declaration) in added { fields[name] = declaration }
            fields = JSONObject(fields.members.filter { !removed.contains($0.key) })
            projects["fields"] = .object(fields)
            resources["projects"] = .object(projects)
        }
        return JSONValue.object(resources).jsonText
    }

    private static func post(_ server: RunningAPIServer, _ path: String, _ body: String, token: String) throws -> TestResponse {
        let client = try server.connect()
        defer { client.close() }
        try client.send("POST \(path) HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
                        + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return try client.readResponse()
    }

    private static func get(_ server: RunningAPIServer, _ path: String, token: String) throws -> TestResponse {
        let client = try server.connect()
        defer { client.close() }
        try client.send("GET \(path) HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(token)\r\n\r\n")
        return try client.readResponse()
    }

    @Test(.timeLimit(.minutes(3)))
    func anAddedFieldIsMigratedAndARequiredOneRefused() throws {
        let (deployment, token) = try TestDeployment.withAdmin(["API_RESOURCES": try Self.resources()])
        let first = try deployment.serve()
        for name in ["one", "two", "three"] {
            let created = try Self.post(first, "/projects/", #"{"name": "\#(name)", "budget": 10}"#, token: token)
            #expect(created.status == 201, "\(created)")
        }
        #expect(first.terminate() == 0)

        let priority: (String, JSONValue) = ("priority", ["type": "integer", "minimum": 0, "default": 3])
        let withPriority = TestDeployment(copying: deployment, ["API_RESOURCES": try Self.resources(adding: [priority])])
        let plan = try withPriority.run(["migrate", "plan"])
        #expect(plan.status == 0, "\(plan)")
        #expect(plan.stdout.contains(#"ALTER TABLE "projects" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 3 CHECK ("priority" >= 0);"#), "\(plan)")
        let listed = try withPriority.run(["resources"])
        #expect(listed.stdout.contains("projects  3 record(s)  pending: add field projects.priority"), "\(listed)")
        let second = try withPriority.serve()
        defer { _ = second.terminate() }
        #expect(try withPriority.run(["resources"]).stdout == "projects  3 record(s)  migrated\n")
        let page = try Self.get(second, "/projects/?sort=name&fields=name,priority", token: token)
        #expect(page.status == 200, "\(page)")
        #expect(try JSONParser.parse(page.body)["items"] == [["name": "one", "priority": 3], ["name": "three", "priority": 3], ["name": "two", "priority": 3]],
                "\(page)")
        #expect(try withPriority.run(["migrate", "plan"]).stdout == "resources: up to date\n")
        #expect(second.terminate() == 0)

        let withCode = TestDeployment(copying: deployment, ["API_RESOURCES": try Self.resources(adding: [priority, ("code", ["type": "string"])])])
        let refused = try withCode.run(["migrate"])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("add required field projects.code without a default"), "\(refused)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "one line: \(refused)")
        let refusedPlan = try withCode.run(["migrate", "plan"])
        #expect(refusedPlan.status == 2 && refusedPlan.stdout.contains("-- REFUSED add required field projects.code"), "\(refusedPlan)")
        let refusedServe = try withCode.run(["serve", "--port", "0"])
        #expect(refusedServe.status == 2 && refusedServe.stderr.contains("projects.code"), "\(refusedServe)")
    }

    /// Must show 6: `kill -9` during a load of creates, then a restart: every record answered 201 is there, with the
    /// name it was created with.
    @Test(.timeLimit(.minutes(3)))
    func everyCreatedRecordSurvivesKillNine() throws {
        var environment = TestDeployment.withoutRateLimits
        environment["API_RESOURCES"] = try Self.resources()
        let (deployment, token) = try TestDeployment.withAdmin(environment)
        let (load, acked, killed) = try deployment.loadThenKill(try deployment.serve(), target: "projects", token: token, after: 2.5)
        #expect(killed == 128 + SIGKILL)
        #expect(load.status == 0, "\(load)")
        let restarted = try deployment.serve()
        defer { _ = restarted.terminate() }
        let verify = try TestDeployment.script("load_check.py", ["verify", "--target", "projects", "--db", deployment.databasePath, "--acked", acked],
                                               timeout: 60)
        #expect(verify.status == 0 && verify.stdout.contains(#""missing": 0"#), "\(verify)")
    }

    /// Issue 17, must show 2: clients create projects, each with an `Idempotency-Key`; the server is killed with
    /// `kill -9` in the middle; after the restart every key attempted, answered or not, is sent again with its body:
    /// each answers 201 and names exactly one project.
    @Test(.timeLimit(.minutes(3)))
    func everyKeyEndsWithExactlyOneRecordAfterKillNine() throws {
        var environment = TestDeployment.withoutRateLimits
        environment["API_RESOURCES"] = try Self.resources()
        let (deployment, token) = try TestDeployment.withAdmin(environment)
        let (load, attempted, killed) = try deployment.loadThenKill(try deployment.serve(), target: "projects-keyed", token: token, after: 2.0)
        #expect(killed == 128 + SIGKILL)
        #expect(load.status == 0, "\(load)")
        let restarted = try deployment.serve()
        defer { _ = restarted.terminate() }
        let verify = try TestDeployment.script("load_check.py", [
            "verify", "--target", "projects-keyed", "--db", deployment.databasePath, "--acked", attempted,
            "--url", "http://127.0.0.1:\(restarted.port)", "--admin-token", token,
        ], timeout: 120)
        #expect(verify.status == 0 && verify.stdout.contains(#""not_exactly_once": 0"#), "\(verify)")
    }

    /// Issue 17, must show 5: a dropped field is refused without the flag; with it, a backup is written first (its path
    /// printed), it passes `PRAGMA integrity_check` and holds the dropped column's data, and the records stay. A new
    /// required field takes the value `--set` gives it.
    @Test(.timeLimit(.minutes(3)))
    func aDestructiveMigrationTakesABackupFirst() throws {
        let (deployment, token) = try TestDeployment.withAdmin(["API_RESOURCES": try Self.resources()])
        let server = try deployment.serve()
        for name in ["one", "two"] {
            #expect(try Self.post(server, "/projects/", #"{"name": "\#(name)", "tags": ["kept-\#(name)"]}"#, token: token).status == 201)
        }
        #expect(server.terminate() == 0)

        let withoutTags = TestDeployment(copying: deployment, ["API_RESOURCES": try Self.resources(removing: ["tags"])])
        let refused = try withoutTags.run(["migrate"])
        #expect(refused.status == 2 && refused.stderr.contains("drop field projects.tags"), "\(refused)")
        let applied = try withoutTags.run(["migrate", "--allow-destructive"])
        #expect(applied.status == 0 && applied.stdout.contains("applied drop field projects.tags"), "\(applied)")
        let backup = try #require(applied.stdout.split(separator: "\n").first { $0.hasPrefix("backup ") }.map { String($0.dropFirst(7)) })
        let check = try ChildProcess(executable: "/usr/bin/env", arguments: ["python3", "-c", """
            import sqlite3, sys
            backup = sqlite3.connect(sys.argv[1])
            print(backup.execute("PRAGMA integrity_check").fetchone()[0])
            print(",".join(row[0] for row in backup.execute("SELECT tags FROM projects ORDER BY id")))
            live = sqlite3.connect(sys.argv[2])
            print([row[1] for row in live.execute("PRAGMA table_info(projects)")].count("tags"), live.execute("SELECT count(*) FROM projects").fetchone()[0])
            """, backup, deployment.databasePath]).finish(timeout: 20)
        #expect(check.stdout == "ok\n[\"kept-one\"],[\"kept-two\"]\n0 2\n", "\(check)")

        let code: (String, JSONValue) = ("code", ["type": "string", "min_length": 2])
        let withCode = TestDeployment(copying: deployment, ["API_RESOURCES": try Self.resources(adding: [code], removing: ["tags"])])
        let unset = try withCode.run(["migrate", "--allow-destructive"])
        #expect(unset.status == 2 && unset.stderr.contains("--set projects.code=VALUE"), "\(unset)")
        #expect(try withCode.run(["migrate", "--allow-destructive", "--set", "projects.code=X"]).status == 2, "X is shorter than min_length")
        #expect(try withCode.run(["migrate", "--allow-destructive", "--set", "projects.code=ABC"]).status == 0)
        let restarted = try withCode.serve()
        defer { _ = restarted.terminate() }
        let page = try Self.get(restarted, "/projects/?sort=name&fields=name,code", token: token)
        #expect(try JSONParser.parse(page.body)["items"] == [["name": "one", "code": "ABC"], ["name": "two", "code": "ABC"]], "\(page)")
    }

    /// The example's `projects` renamed to `plans` (`renamed_from`) with field types changed by `retyped`.
    private static func plans(retyping retyped: [(String, JSONValue)]) throws -> String {
        let resources = try exampleResources()
        var projects = try #require(resources["projects"]?.objectValue)
        var fields = try #require(projects["fields"]?.objectValue)
        for (name, declaration) in retyped { fields[name] = declaration }
        projects["fields"] = .object(fields)
        projects["renamed_from"] = "projects"
        projects["title"] = "Plan"
        return JSONValue.object(JSONObject([JSONMember(key: "plans", value: .object(projects))])).jsonText
    }

    /// Issue 17, destructive migrations: a resource renamed keeps its records under its new path; a changed type is
    /// refused without the flag, refused naming the record when a value does not convert, and converts every value
    /// with it.
    @Test(.timeLimit(.minutes(3)))
    func aRenameAndATypeChangeKeepTheData() throws {
        let (deployment, token) = try TestDeployment.withAdmin(["API_RESOURCES": try Self.resources()])
        let server = try deployment.serve()
        for (name, budget) in [("one", "10"), ("two", "2.5")] {
            let created = try Self.post(server, "/projects/", #"{"name": "\#(name)", "budget": \#(budget), "due": "2026-05-01"}"#, token: token)
            #expect(created.status == 201, "\(created)")
        }
        #expect(server.terminate() == 0)

        let integerBudget = TestDeployment(copying: deployment, ["API_RESOURCES": try Self.plans(retyping: [
            ("budget", ["type": "integer", "minimum": 0, "default": 0]), ("due", ["type": "datetime", "optional": true])])])
        let refused = try integerBudget.run(["migrate"])
        #expect(refused.status == 2 && refused.stderr.contains("change the type of plans.budget from number to integer"), "\(refused)")
        let unconverted = try integerBudget.run(["migrate", "--allow-destructive"])
        #expect(unconverted.status == 2 && unconverted.stderr.contains("record 2 holds 2.5, which does not convert"), "\(unconverted)")

        let datetimeDue = TestDeployment(copying: deployment, ["API_RESOURCES": try Self.plans(retyping: [("due", ["type": "datetime", "optional": true])])])
        let listed = try datetimeDue.run(["resources"])
        #expect(listed.stdout.hasPrefix("plans  2 record(s)  pending: rename resource projects to plans; "), "\(listed)")
        let applied = try datetimeDue.run(["migrate", "--allow-destructive"])
        #expect(applied.status == 0 && applied.stdout.contains("applied rename resource projects to plans")
                && applied.stdout.contains("applied change the type of plans.due from date to datetime"), "\(applied)")
        let restarted = try datetimeDue.serve()
        defer { _ = restarted.terminate() }
        let page = try Self.get(restarted, "/plans/?sort=name&fields=id,name,due", token: token)
        #expect(try JSONParser.parse(page.body)["items"] == [["id": 1, "name": "one", "due": "2026-05-01T00:00:00.000Z"],
                                                            ["id": 2, "name": "two", "due": "2026-05-01T00:00:00.000Z"]], "\(page)")
        #expect(try Self.get(restarted, "/projects/", token: token).status == 404)
    }
}
