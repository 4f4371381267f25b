import Glibc
import JSON
import TestKit
import Testing

/// `api export` and `api import` (issue 17, must show 4), with the real binary: a resource of 100,000 records exported
/// as NDJSON and as CSV, imported into an empty database and exported again gives the same bytes; invalid lines are
/// reported by line, all or nothing.
@Suite(.serialized) struct ResourceTransferTests {
    static let rows = 100_000

    /// A deployment with config.example.json's `projects` and an admin (user 1, who owns the imported records).
    private static func deployment() throws -> TestDeployment {
        let example = try JSONParser.parse(try SharedTestData.readFile(SharedTestData.repositoryRoot + "/config.example.json"))
        return try TestDeployment.withAdmin(["API_RESOURCES": try #require(example["resources"]).jsonText]).0
    }

    /// `rows` projects as NDJSON, as a team would write them by hand (no system fields but the owner).
    private static func sourceFile() throws -> String {
        var text = ""
        text.reserveCapacity(rows * 90)
        let statuses = ["draft", "active", "archived"]
        for number in 1...rows {
            text += #"{"name":"project \#(number)","status":"\#(statuses[number % 3])","budget":\#(Double(number % 997) / 4),"#
                + #""tags":["t\#(number % 7)"],"owner_id":1\#(number % 5 == 0 ? #","due":"2027-01-0\#(number % 9 + 1)""# : "")}"# + "\n"
        }
        return try SharedTestData.temporaryFile(named: "source.ndjson", contents: Array(text.utf8))
    }

    private static func export(_ deployment: TestDeployment, _ format: String) throws -> String {
        let result = try deployment.run(["export", "projects", "--format", format])
        guard result.status == 0 else { throw TestKitError("export: \(result)") }
        return result.stdout
    }

    @Test(.timeLimit(.minutes(3)))
    func exportImportExportGivesTheSameBytes() throws {
        let first = try Self.deployment()
        let imported = try first.run(["import", "projects", try Self.sourceFile()])
        #expect(imported.status == 0 && imported.stdout == "imported \(Self.rows) record(s) into projects\n", "\(imported)")
        for format in ["ndjson", "csv"] {
            let exported = try Self.export(first, format)
            #expect(exported.split(separator: "\n").count == Self.rows + (format == "csv" ? 1 : 0))
            let file = try SharedTestData.temporaryFile(named: "export.\(format)", contents: Array(exported.utf8))
            let second = try Self.deployment()
            let again = try second.run(["import", "projects", file, "--format", format])
            #expect(again.status == 0, "\(again)")
            #expect(try Self.export(second, format) == exported, "\(format): the same bytes")
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func invalidLinesAreReportedAndNothingIsWritten() throws {
        let deployment = try Self.deployment()
        let lines = [#"{"name": "fine", "owner_id": 1}"#, #"{"name": "", "owner_id": 1}"#, "not json", #"{"name": "b", "budget": -1, "owner_id": 1}"#,
                     #"{"name": "c", "owner_id": 99}"#, #"{"name": "d"}"#]
        let file = try SharedTestData.temporaryFile(named: "bad.ndjson", contents: Array(lines.joined(separator: "\n").utf8))
        let refused = try deployment.run(["import", "projects", file])
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr == """
            api: line 2: name: String should have at least 1 character
            line 3: record: not a JSON object
            line 4: budget: Input should be greater than or equal to 0
            line 6: owner_id: Field required

            """, "\(refused)")
        #expect(try deployment.run(["export", "projects"]).stdout.isEmpty, "nothing was written")
        let good = try SharedTestData.temporaryFile(named: "good.ndjson", contents: Array(lines[0].utf8))
        let dry = try deployment.run(["import", "projects", good, "--dry-run"])
        #expect(dry.status == 0 && dry.stdout == "would import 1 record(s) into projects\n", "\(dry)")
        #expect(try deployment.run(["export", "projects"]).stdout.isEmpty, "a dry run writes nothing")
        #expect(try deployment.run(["import", "projects", deployment.directory + "/missing.ndjson"]).status == 1)
    }

    /// A team moving from the FastAPI app: its `project` table exported as CSV (as `sqlite3 -header -csv` writes it),
    /// converted by scripts/transfer/fastapi_projects_to_api.py, imported; the records keep their ids and times.
    @Test(.timeLimit(.minutes(3)))
    func theFastAPIAppsProjectsMoveIn() throws {
        let deployment = try Self.deployment()
        let exported = try SharedTestData.temporaryFile(named: "fastapi-projects.csv", contents: Array("""
            id,name,status,budget,tags,owner,created_at
            3,Apollo,active,1500.5,"[""space"", ""nasa""]",test,2026-12-01 10:11:12.345678
            7,"Gemini, the second",draft,0.0,[],test,2026-12-02 00:00:00.000001

            """.utf8))
        let converted = try ChildProcess(executable: "/usr/bin/env", arguments: [
            "python3", SharedTestData.repositoryRoot + "/scripts/transfer/fastapi_projects_to_api.py", exported, "--owner", "test=1",
        ]).finish(timeout: 20)
        #expect(converted.status == 0, "\(converted)")
        let file = try SharedTestData.temporaryFile(named: "projects.csv", contents: Array(converted.stdout.utf8))
        let imported = try deployment.run(["import", "projects", file, "--format", "csv"])
        #expect(imported.status == 0 && imported.stdout == "imported 2 record(s) into projects\n", "\(imported)")
        #expect(try deployment.run(["export", "projects"]).stdout == """
            {"id":3,"name":"Apollo","status":"active","budget":1500.5,"tags":["space","nasa"],"due":null,"lead":null,"owner_id":1,\
            "created_at":"2026-12-01T10:11:12.345Z","updated_at":"2026-12-01T10:11:12.345Z","version":1}
            {"id":7,"name":"Gemini, the second","status":"draft","budget":0.0,"tags":[],"due":null,"lead":null,"owner_id":1,\
            "created_at":"2026-12-02T00:00:00.000Z","updated_at":"2026-12-02T00:00:00.000Z","version":1}

            """)
    }

    /// `--filter` keeps the records that pass; `--upsert-by id` updates the records that are there and adds the others.
    @Test(.timeLimit(.minutes(3)))
    func exportFiltersAndImportUpserts() throws {
        let deployment = try Self.deployment()
        let lines = [#"{"name": "a", "status": "active", "owner_id": 1}"#, #"{"name": "b", "owner_id": 1}"#, #"{"name": "c", "status": "active", "owner_id": 1}"#]
        let file = try SharedTestData.temporaryFile(named: "three.ndjson", contents: Array(lines.joined(separator: "\n").utf8))
        #expect(try deployment.run(["import", "projects", file]).status == 0)
        let active = try deployment.run(["export", "projects", "--filter", #"status = "active""#])
        #expect(active.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0))["name"] } == ["a", "c"], "\(active)")
        let badFilter = try deployment.run(["export", "projects", "--filter", "stauts = 1"])
        #expect(badFilter.status == 2 && badFilter.stderr.contains("unknown field 'stauts'"), "\(badFilter)")

        let changes = [#"{"id": 2, "name": "b", "budget": 7, "owner_id": 1}"#, #"{"id": 9, "name": "d", "owner_id": 1}"#]
        let upserts = try SharedTestData.temporaryFile(named: "upserts.ndjson", contents: Array(changes.joined(separator: "\n").utf8))
        let upserted = try deployment.run(["import", "projects", upserts, "--upsert-by", "id"])
        #expect(upserted.status == 0, "\(upserted)")
        let records = try deployment.run(["export", "projects"]).stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(records.map { $0["id"] } == [1, 2, 3, 9] && records[1]["budget"] == .double(7) && records[1]["version"] == 2)
        let refused = try deployment.run(["import", "projects", upserts, "--upsert-by", "name"])
        #expect(refused.status == 2 && refused.stderr.contains("--upsert-by: 'name'"), "projects are unique by owner and name together: \(refused)")
    }

    /// `api export users` holds what the API shows of each user, never a password or its hash.
    @Test(.timeLimit(.minutes(3)))
    func aUsersExportHoldsNoHash() throws {
        let deployment = try Self.deployment()
        for format in ["ndjson", "csv"] {
            let exported = try deployment.run(["export", "users", "--format", format])
            #expect(exported.status == 0 && exported.stdout.contains("admin@example.com"), "\(exported)")
            #expect(!exported.stdout.contains("argon2") && !exported.stdout.contains("password"), "\(exported)")
        }
        #expect(try deployment.run(["export", "users", "--format", "csv"]).stdout.hasPrefix("id,name,email,is_admin,created_at,version\n1,admin,"))
    }
}
