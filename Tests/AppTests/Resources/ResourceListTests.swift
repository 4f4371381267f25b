import Dispatch
import JSON
import Storage
import Testing
import TestKit
@testable import App

/// List queries over real sockets (issue 16, "Must show" 3 and 4): filters with the ids they return, invalid ones with
/// the position in the 422, injection attempts in every parameter, sparse fields, counts, and keyset pages that never
/// skip or repeat a record while others insert and delete.
@Suite(.serialized) struct ResourceListTests {
    /// Six records of the owner: names, statuses, budgets, tags and due dates to filter and sort on.
    static let seed = [
        #"{"name": "apollo", "status": "active", "budget": 1500.5, "tags": ["space", "NASA"], "due": "2026-12-31"}"#,
        #"{"name": "gemini", "status": "draft", "budget": 0, "done": true}"#,
        #"{"name": "mercury 7", "status": "archived", "budget": 99, "tags": ["space"], "due": "2025-01-01"}"#,
        #"{"name": "vostok", "status": "active", "budget": 99, "count": 7}"#,
        #"{"name": "soyuz", "status": "active", "budget": 250, "due": "2027-03-01"}"#,
        #"{"name": "skylab", "status": "draft", "budget": 40}"#,
    ]

    static let valid: [(String, [Int64])] = [
        (#"status = "active""#, [1, 4, 5]),
        (#"status = "active" && budget >= 100"#, [1, 5]),
        ("budget > 99 || done", [1, 2, 5]),
        (#"name ~ "O""#, [1, 4, 5]),
        (#"tags ~ "nasa""#, [1]),
        (#"status in ["draft", "archived"]"#, [2, 3, 6]),
        ("due is null", [2, 4, 6]),
        ("due < @now", [3]),
        (#"!(status = "active")"#, [2, 3, 6]),
        ("count = 7", [4]),
        ("id >= 5", [5, 6]),
    ]

    static let invalid: [(String, Int)] = [
        (#"status = "#, 10),
        ("stauts = 1", 1),
        (#"budget = "a lot""#, 10),
        ("(status = \"x\"", 14),
        (#"name < 5 ||"#, 8),
        ("tags > 3", 6),
    ]

    /// What an attacker might try in each parameter; none may answer 5xx, and none may return a record the filter
    /// (or the rule) does not let through.
    static let injections = [
        "filter=name%20%3D%20%22x%27%20OR%201%3D1%20--%22", "filter=name%20%3D%20%22%22%29%20OR%20%281%3D1",
        "filter=1%3D1", "filter=name%3D%27x%27%20OR%20%271%27%3D%271%27", "filter=%3B%20DROP%20TABLE%20things",
        "filter=name%20~%20%22%25%22", "filter=owner_id%20!%3D%200", "sort=name%3B%20DROP%20TABLE%20things",
        "sort=name%20DESC", "sort=(select%201)", "sort=-owner_id,%22id%22", "fields=id,name%20FROM%20things--",
        "fields=*", "fields=id%2C(select%20password_hash%20from%20users)", "cursor=%27%20OR%201%3D1",
        "cursor=WyIiLDk5OTk5OV0", "cursor=WyIiLCIxIE9SIDE9MSIsMV0", "limit=1%20OR%201%3D1", "count=1%3B",
    ]

    private static func seeded() throws -> ResourceFixture {
        let fixture = try ResourceFixture()
        for body in seed { _ = try fixture.create("things", body, as: .owner) }
        _ = try fixture.create("things", #"{"name": "not yours", "status": "active"}"#, as: .other)
        return fixture
    }

    private static func ids(_ answer: (status: Int, json: JSONValue?, response: TestResponse)) -> [Int64] {
        answer.json?["items"]?.arrayValue?.compactMap { $0["id"]?.intValue } ?? []
    }

    private static func encoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            let isPlain = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
            encoded += isPlain ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }
        return encoded
    }

    @Test(.timeLimit(.minutes(3)))
    func filtersReturnTheirRecordsAndRefuseWithAPosition() throws {
        let fixture = try Self.seeded()
        defer { fixture.stop() }
        for (filter, expected) in Self.valid {
            let answer = try fixture.send("GET", "/things/?filter=\(Self.encoded(filter))", as: .owner)
            #expect(answer.status == 200 && Self.ids(answer) == expected, "\(filter): \(answer.response)")
        }
        for (filter, position) in Self.invalid {
            let answer = try fixture.send("GET", "/things/?filter=\(Self.encoded(filter))", as: .owner)
            let issue = answer.json?["detail"]?.arrayValue?.first
            #expect(answer.status == 422 && issue?["loc"] == ["query", "filter"], "\(filter): \(answer.response)")
            #expect(issue?["msg"]?.stringValue?.hasSuffix("at position \(position)") == true, "\(filter): \(answer.response)")
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func injectionAttemptsAreOnlyValues() throws {
        let fixture = try Self.seeded()
        defer { fixture.stop() }
        let everything = Self.ids(try fixture.send("GET", "/things/?limit=100", as: .owner))
        #expect(everything == [1, 2, 3, 4, 5, 6])
        for query in Self.injections {
            let answer = try fixture.send("GET", "/things/?\(query)", as: .owner)
            #expect(answer.status == 200 || answer.status == 422, "\(query): \(answer.response)")
            #expect(Set(Self.ids(answer)).isSubset(of: Set(everything)), "\(query): only the owner's records: \(answer.response)")
        }
        #expect(Self.ids(try fixture.send("GET", "/things/?limit=100", as: .owner)) == everything, "nothing was dropped or changed")
        let users = try fixture.application.services.store.read(on: 0) { try $0.users.page(after: 0, limit: 10).count }
        #expect(users == 4)
    }

    /// `sort`, `fields`, `count` and `limit` together; the cursor of a sort is refused with another.
    @Test(.timeLimit(.minutes(3)))
    func sortFieldsAndCountShapeTheAnswer() throws {
        let fixture = try Self.seeded()
        defer { fixture.stop() }
        let first = try fixture.send("GET", "/things/?sort=-budget,name&fields=id,name,budget&count=true&limit=2", as: .owner)
        #expect(first.status == 200, "\(first.response)")
        #expect(first.json?["items"] == [["id": 1, "name": "apollo", "budget": 1500.5], ["id": 5, "name": "soyuz", "budget": 250.0]])
        #expect(first.json?["total"] == 6)
        let cursor = try #require(first.json?["next_cursor"]?.stringValue)
        let second = try fixture.send("GET", "/things/?sort=-budget,name&fields=id&limit=2&cursor=\(cursor)", as: .owner)
        #expect(second.json?["items"] == [["id": 3], ["id": 4]], "mercury 7 before vostok at 99: \(second.response)")
        let other = try fixture.send("GET", "/things/?sort=name&cursor=\(cursor)", as: .owner)
        #expect(other.status == 422 && other.json?["detail"]?.arrayValue?.first?["loc"] == ["query", "cursor"], "\(other.response)")
        let bad = try fixture.send("GET", "/things/?sort=tags&fields=nope", as: .owner)
        #expect(bad.json?["detail"]?.arrayValue?.compactMap { $0["loc"] } == [["query", "sort"], ["query", "fields"]], "\(bad.response)")
    }

    /// While another client inserts and deletes, walking every page of `sort=-budget` returns each record that
    /// survived the walk exactly once (records made or deleted during it may or may not appear, never twice).
    @Test(.timeLimit(.minutes(3)))
    func keysetPagesNeverSkipNorRepeatUnderConcurrentWrites() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        for index in 0..<120 { _ = try fixture.create("things", #"{"name": "seed \#(index)", "budget": \#(index % 17)}"#, as: .owner) }
        let writing = DispatchGroup()
        let churn = ChurnLog()
        DispatchQueue.global().async(group: writing) {
            for index in 0..<60 {
                _ = try? fixture.create("things", #"{"name": "new \#(index)", "budget": \#(index % 13)}"#, as: .owner)
                let victim = Int64(1 + (index * 7) % 120)
                if (try? fixture.send("DELETE", "/things/\(victim)", as: .scoped).status) == 204 { churn.deleted(victim) }
            }
        }
        var seen: [Int64] = []
        var cursor: String?
        repeat {
            let answer = try fixture.send("GET", "/things/?sort=-budget&limit=7" + (cursor.map { "&cursor=\($0)" } ?? ""), as: .owner)
            #expect(answer.status == 200, "\(answer.response)")
            seen += Self.ids(answer)
            cursor = answer.json?["next_cursor"]?.stringValue
        } while cursor != nil
        writing.wait()
        #expect(Set(seen).count == seen.count, "no record twice")
        let survivors = Set(1...120).map(Int64.init).filter { !churn.deletedIDs.contains($0) }
        #expect(Set(survivors).isSubset(of: Set(seen)), "every record that lived through the walk is in it")
    }

    /// The declared index `(status, budget)` serves a filtered, sorted page.
    @Test(.disabled(if: ResourceFixture.onPostgres, "it reads SQLite's query plan"))
    func aFilteredSortedPageUsesTheDeclaredIndex() throws {
        let fixture = try Self.seeded()
        defer { fixture.stop() }
        let filter = try FilterParser.parse(#"status = "active""#, fields: fixture.declaration("things").filterFields)
        let table = SQLiteResourceTable(fixture.declaration("things"))
        let database = try Database(path: fixture.application.config.database.path)
        var compiler = SQLiteFilterCompiler(table: table, caller: nil, now: "")
        let sql = "EXPLAIN QUERY PLAN " + table.selectSQL + " WHERE " + compiler.condition(filter) + " ORDER BY \"budget\" DESC, \"id\" ASC LIMIT 20"
        let plan = try database.query(sql, arguments: compiler.arguments) { $0.string(3) }.joined(separator: "\n")
        #expect(plan.contains("USING INDEX things__status__budget"), "\(plan)")
    }
}

/// What the writer of the churn test did, read after it finished.
private final class ChurnLog: @unchecked Sendable {
    // @unchecked: written by the writer's thread only, and read after `DispatchGroup.wait`.
    private(set) var deletedIDs: Set<Int64> = []
    func deleted(_ id: Int64) { deletedIDs.insert(id) }
}

extension ResourceFixture {
    func declaration(_ name: String) -> ResourceDeclaration {
        Self.declarations.first { $0.name == name } ?? Self.declarations[0]
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
