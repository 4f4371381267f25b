import JSON
import Testing
import TestKit
@testable import App

/// `POST /R/batch` (issue 17, must show 3): all or nothing in one transaction, each item validated and rule-checked,
/// the failing item's index in `loc`.
@Suite(.serialized) struct ResourceBatchTests {
    private static func creates(_ count: Int, prefix: String) -> [String] {
        (0..<count).map { #"{"op": "create", "data": {"name": "\#(prefix) \#($0)"}}"# }
    }

    private static func batch(_ items: [String]) -> String {
        #"{"operations": [\#(items.joined(separator: ", "))]}"#
    }

    /// A batch whose 57th item repeats a unique set writes nothing and answers 409 naming index 56; a valid batch of
    /// 100 is one commit.
    @Test(.timeLimit(.minutes(3)))
    func aFailingItemUndoesTheBatchAndAValidOneIsOneCommit() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        var items = Self.creates(100, prefix: "thing")
        items[56] = #"{"op": "create", "data": {"name": "thing 3"}}"#             // owner_id and name are unique together
        let failed = try fixture.send("POST", "/things/batch", Self.batch(items), as: .owner)
        #expect(failed.status == 409, "\(failed.response)")
        let problem = failed.json?["detail"]?.arrayValue?.first
        #expect(problem?["loc"] == ["body", "operations", 56] && problem?["type"] == "conflict", "\(failed.response)")
        #expect(try fixture.send("GET", "/things/?count=true", as: .owner).json?["total"] == 0, "nothing was written")

        let commits = fixture.application.services.store.commits
        let done = try fixture.send("POST", "/things/batch", Self.batch(Self.creates(100, prefix: "thing")), as: .owner)
        #expect(done.status == 200, "\(done.response)")
        #expect(fixture.application.services.store.commits == commits + 1, "one commit for the 100 items")
        let results = done.json?["results"]?.arrayValue ?? []
        #expect(results.count == 100 && results.allSatisfy { $0["status"] == 201 })
        #expect(try fixture.send("GET", "/things/?count=true", as: .owner).json?["total"] == 100)
    }

    /// Updates with `if_match` and deletes in one batch; each item meets its own rule and precondition.
    @Test(.timeLimit(.minutes(3)))
    func updatesAndDeletesMeetTheirRulesAndPreconditions() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        let a = try fixture.create("notes", #"{"text": "a"}"#, as: .owner), b = try fixture.create("notes", #"{"text": "b"}"#, as: .owner)
        let mixed = try fixture.send("POST", "/notes/batch", Self.batch([
            #"{"op": "update", "id": \#(a), "data": {"text": "a2"}, "if_match": "\"1\""}"#,
            #"{"op": "delete", "id": \#(b)}"#,
            #"{"op": "create", "data": {"text": "c"}}"#,
        ]), as: .owner)
        #expect(mixed.status == 200, "\(mixed.response)")
        #expect(mixed.json?["results"]?.arrayValue?.map { $0["status"] } == [200, 204, 201])
        #expect(mixed.json?["results"]?.arrayValue?.first?["record"]?["text"] == "a2")
        #expect(try fixture.send("GET", "/notes/\(b)").status == 404)

        let stale = try fixture.send("POST", "/notes/batch", Self.batch([
            #"{"op": "create", "data": {"text": "never"}}"#, #"{"op": "update", "id": \#(a), "data": {"text": "lost"}, "if_match": "\"1\""}"#,
        ]), as: .owner)
        #expect(stale.status == 412 && stale.json?["detail"]?.arrayValue?.first?["loc"] == ["body", "operations", 1], "\(stale.response)")
        let foreign = try fixture.send("POST", "/notes/batch", Self.batch([#"{"op": "delete", "id": \#(a)}"#]), as: .other)
        #expect(foreign.status == 403, "the rule of delete is the owner's or an admin's: \(foreign.response)")
        #expect(try fixture.send("GET", "/notes/?count=true").json?["total"] == 2, "a2 and c only")
    }

    /// Every item is validated before anything runs, by its `op`'s body, each problem with its index and op (as
    /// Pydantic reports a discriminated union).
    @Test(.timeLimit(.minutes(3)))
    func everyProblemOfEveryItemIsReportedAtOnce() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        let invalid = try fixture.send("POST", "/things/batch", Self.batch([
            #"{"op": "create", "data": {"name": "fine"}}"#, #"{"op": "create", "data": {"name": ""}}"#, #"{"op": "update", "data": {}}"#,
            #"{"op": "delete"}"#, #"{"op": "rename", "id": 1}"#, #"{"id": 1}"#,
        ]), as: .owner)
        #expect(invalid.status == 422, "\(invalid.response)")
        let problems = invalid.json?["detail"]?.arrayValue ?? []
        #expect(problems.compactMap { $0["loc"] } == [["body", "operations", 1, "create", "data", "name"], ["body", "operations", 2, "update", "id"],
                                                      ["body", "operations", 3, "delete", "id"], ["body", "operations", 4], ["body", "operations", 5]],
                "\(invalid.response)")
        #expect(problems.compactMap { $0["type"]?.stringValue } == ["string_too_short", "missing", "missing", "union_tag_invalid", "union_tag_not_found"])
        #expect(problems[3]["msg"] == "Input tag 'rename' found using 'op' does not match any of the expected tags: 'create', 'update', 'delete'")
        let tooMany = try fixture.send("POST", "/things/batch", Self.batch(Self.creates(101, prefix: "t")), as: .owner)
        #expect(tooMany.status == 422 && tooMany.json?["detail"]?.arrayValue?.first?["type"] == "too_long")
        #expect(try fixture.send("POST", "/things/batch", Self.batch(Self.creates(1, prefix: "t"))).status == 401, "a batch needs a token")
    }
}
