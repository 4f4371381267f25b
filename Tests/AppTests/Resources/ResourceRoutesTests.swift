import AppTestKit
import JSON
import Testing
import TestKit
@testable import App

/// Resources over real sockets (issue 16, "Must show" 1): for each operation and each kind of caller, the status the
/// rules give. The rows are the spec; each runs on a record made for it, so no row depends on another.
@Suite(.serialized) struct ResourceRoutesTests {
    typealias Caller = ResourceFixture.Caller

    struct Row: Sendable, CustomTestStringConvertible {
        let method: String
        let resource: String
        let caller: Caller
        let status: Int
        /// For a list: whether the row's record is among the items.
        var lists: Bool?
        var testDescription: String { "\(method) \(resource) as \(caller.rawValue) -> \(status)" }
    }

    static let rows: [Row] = [
        // things: list and read by a filter rule (owner or admin), create by any token, update by the owner only,
        // delete by the `cleanup` scope.
        Row(method: "POST", resource: "things", caller: .anonymous, status: 401),
        Row(method: "POST", resource: "things", caller: .owner, status: 201),
        Row(method: "POST", resource: "things", caller: .other, status: 201),
        Row(method: "POST", resource: "things", caller: .admin, status: 201),
        Row(method: "POST", resource: "things", caller: .scoped, status: 201),
        Row(method: "LIST", resource: "things", caller: .anonymous, status: 200, lists: false),
        Row(method: "LIST", resource: "things", caller: .owner, status: 200, lists: true),
        Row(method: "LIST", resource: "things", caller: .other, status: 200, lists: false),
        Row(method: "LIST", resource: "things", caller: .admin, status: 200, lists: true),
        Row(method: "LIST", resource: "things", caller: .scoped, status: 200, lists: false),
        Row(method: "GET", resource: "things", caller: .anonymous, status: 404),
        Row(method: "GET", resource: "things", caller: .owner, status: 200),
        Row(method: "GET", resource: "things", caller: .other, status: 404),
        Row(method: "GET", resource: "things", caller: .admin, status: 200),
        Row(method: "GET", resource: "things", caller: .scoped, status: 404),
        Row(method: "PATCH", resource: "things", caller: .anonymous, status: 404),
        Row(method: "PATCH", resource: "things", caller: .owner, status: 200),
        Row(method: "PATCH", resource: "things", caller: .other, status: 404),
        Row(method: "PATCH", resource: "things", caller: .admin, status: 403),     // may read it, may not change it
        Row(method: "PATCH", resource: "things", caller: .scoped, status: 404),
        Row(method: "PUT", resource: "things", caller: .owner, status: 200),
        Row(method: "PUT", resource: "things", caller: .other, status: 404),
        Row(method: "PUT", resource: "things", caller: .admin, status: 403),
        Row(method: "DELETE", resource: "things", caller: .anonymous, status: 401),
        Row(method: "DELETE", resource: "things", caller: .owner, status: 403),
        Row(method: "DELETE", resource: "things", caller: .other, status: 403),
        Row(method: "DELETE", resource: "things", caller: .admin, status: 403),
        Row(method: "DELETE", resource: "things", caller: .scoped, status: 204),
        // notes: public reads, any token creates, the owner changes, the owner or an admin deletes.
        Row(method: "POST", resource: "notes", caller: .anonymous, status: 401),
        Row(method: "POST", resource: "notes", caller: .other, status: 201),
        Row(method: "LIST", resource: "notes", caller: .anonymous, status: 200, lists: true),
        Row(method: "GET", resource: "notes", caller: .anonymous, status: 200),
        Row(method: "GET", resource: "notes", caller: .other, status: 200),
        Row(method: "PATCH", resource: "notes", caller: .anonymous, status: 403),  // may read it: 403, not 404
        Row(method: "PATCH", resource: "notes", caller: .other, status: 403),
        Row(method: "PATCH", resource: "notes", caller: .admin, status: 403),
        Row(method: "PATCH", resource: "notes", caller: .owner, status: 200),
        Row(method: "DELETE", resource: "notes", caller: .anonymous, status: 403),
        Row(method: "DELETE", resource: "notes", caller: .other, status: 403),
        Row(method: "DELETE", resource: "notes", caller: .owner, status: 204),
        Row(method: "DELETE", resource: "notes", caller: .admin, status: 204),
        // notices: public reads, admins create and delete, nobody updates (the operation is not served).
        Row(method: "POST", resource: "notices", caller: .anonymous, status: 401),
        Row(method: "POST", resource: "notices", caller: .other, status: 403),
        Row(method: "POST", resource: "notices", caller: .admin, status: 201),
        Row(method: "LIST", resource: "notices", caller: .anonymous, status: 200, lists: true),
        Row(method: "GET", resource: "notices", caller: .other, status: 200),
        Row(method: "PATCH", resource: "notices", caller: .admin, status: 405),
        Row(method: "PUT", resource: "notices", caller: .admin, status: 405),
        Row(method: "DELETE", resource: "notices", caller: .anonymous, status: 401),
        Row(method: "DELETE", resource: "notices", caller: .other, status: 403),
        Row(method: "DELETE", resource: "notices", caller: .admin, status: 204),
    ]

    @Test(.timeLimit(.minutes(3)))
    func eachCallerGetsWhatTheRulesSay() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        for (index, row) in Self.rows.enumerated() {
            let body = row.resource == "things" ? #"{"name": "thing \#(index)"}"# : #"{"text": "row \#(index)"}"#
            let creator: Caller = row.resource == "notices" ? .admin : .owner
            let id = try fixture.create(row.resource, body, as: creator)
            let answer: (status: Int, json: JSONValue?, response: TestResponse)
            switch row.method {
            case "POST": answer = try fixture.send("POST", "/\(row.resource)/", body.replacing("\(index)", with: "\(index) again"), as: row.caller)
            case "LIST": answer = try fixture.send("GET", "/\(row.resource)/?filter=id%20%3D%20\(id)", as: row.caller)
            case "PATCH", "PUT":
                let change = row.resource == "things" ? #"{"name": "changed \#(index)", "count": 5}"# : #"{"text": "changed"}"#
                answer = try fixture.send(row.method, "/\(row.resource)/\(id)", change, as: row.caller)
            default: answer = try fixture.send(row.method, "/\(row.resource)/\(id)", as: row.caller)
            }
            #expect(answer.status == row.status, "\(row.testDescription): \(answer.response)")
            if let lists = row.lists {
                let ids = answer.json?["items"]?.arrayValue?.compactMap { $0["id"]?.intValue } ?? []
                #expect(ids == (lists ? [id] : []), "\(row.testDescription): \(answer.response)")
            }
        }
    }

    /// A create answers 201 with `Location`, the record with its system fields and defaults; a read gives it back the
    /// same; a PATCH changes only what it names and counts a version; `null` clears an optional field; PUT replaces
    /// (what it leaves out takes its default); DELETE answers 204 and the record is gone.
    @Test(.timeLimit(.minutes(3)))
    func aRecordLivesThroughEveryOperation() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        let created = try fixture.send("POST", "/things", #"{"name": "alpha", "count": 3, "due": "2026-12-31", "tags": ["a"], "ratio": 0.5}"#, as: .owner)
        #expect(created.status == 201, "\(created.response)")
        let record = try #require(created.json?.objectValue)
        let id = try #require(record["id"]?.intValue)
        #expect(created.response.header("location") == "/things/\(id)")
        #expect(record.members.map(\.key) == ["id", "name", "email", "site", "key", "status", "count", "ratio", "budget", "done", "due", "at",
                                              "tags", "meta", "lead", "note", "pinned", "owner_id", "created_at", "updated_at", "version"])
        #expect(record["status"] == "draft" && record["budget"] == .double(0) && record["done"] == false && record["version"] == 1)
        #expect(record["owner_id"]?.intValue == fixture.users[.owner] && record["email"] == .null)
        let read = try fixture.send("GET", "/things/\(id)", as: .owner)
        #expect(read.status == 200 && read.json == created.json, "\(read.response)")

        let patched = try fixture.send("PATCH", "/things/\(id)", #"{"count": 4, "due": null}"#, as: .owner)
        #expect(patched.status == 200, "\(patched.response)")
        #expect(patched.json?["count"] == 4 && patched.json?["due"] == .null && patched.json?["name"] == "alpha" && patched.json?["version"] == 2)
        #expect(patched.json?["ratio"] == .double(0.5) && patched.json?["created_at"] == record["created_at"])
        let nulled = try fixture.send("PATCH", "/things/\(id)", #"{"name": null}"#, as: .owner)
        #expect(nulled.status == 422, "a required field is not cleared: \(nulled.response)")

        let replaced = try fixture.send("PUT", "/things/\(id)", #"{"name": "beta"}"#, as: .owner)
        #expect(replaced.status == 200, "\(replaced.response)")
        #expect(replaced.json?["name"] == "beta" && replaced.json?["count"] == 0 && replaced.json?["ratio"] == .null && replaced.json?["version"] == 3)

        #expect(try fixture.send("DELETE", "/things/\(id)", as: .scoped).status == 204)
        #expect(try fixture.send("GET", "/things/\(id)", as: .owner).status == 404)
        #expect(try fixture.send("DELETE", "/things/\(id)", as: .scoped).status == 404)
    }

    /// References: a missing target is a 422 on the field; `set_null`, `cascade` and `restrict` do what they say when
    /// the target goes; a unique set taken is a 409 naming its fields.
    @Test(.timeLimit(.minutes(3)))
    func referencesAndUniqueSetsHoldTheirRules() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        let missing = try fixture.send("POST", "/things/", #"{"name": "dangling", "note": 999}"#, as: .owner)
        #expect(missing.status == 422, "\(missing.response)")
        #expect(missing.json?["detail"]?.arrayValue?.first?["loc"] == ["body", "note"] && missing.json?["detail"]?.arrayValue?.first?["type"] == "value_error")

        let note = try fixture.create("notes", #"{"text": "n"}"#, as: .owner)
        let pin = try fixture.create("notes", #"{"text": "p"}"#, as: .owner)
        let lead = try #require(fixture.users[.other])
        let thing = try fixture.create("things", #"{"name": "linked", "note": \#(note), "pinned": \#(pin), "lead": \#(lead)}"#, as: .owner)

        let held = try fixture.send("DELETE", "/notes/\(pin)", as: .owner)
        #expect(held.status == 409, "restrict: \(held.response)")
        #expect(try fixture.send("PATCH", "/things/\(thing)", #"{"pinned": null}"#, as: .owner).status == 200)
        #expect(try fixture.send("DELETE", "/notes/\(pin)", as: .owner).status == 204, "no longer referenced")

        _ = try fixture.application.services.store.write { transaction in try transaction.users.delete(id: lead) }
        #expect(try fixture.send("GET", "/things/\(thing)", as: .owner).json?["lead"] == .null, "set_null")
        #expect(try fixture.send("DELETE", "/notes/\(note)", as: .owner).status == 204)
        #expect(try fixture.send("GET", "/things/\(thing)", as: .owner).status == 404, "cascade")

        #expect(try fixture.send("POST", "/things/", #"{"name": "same"}"#, as: .owner).status == 201)
        let duplicate = try fixture.send("POST", "/things/", #"{"name": "same"}"#, as: .owner)
        #expect(duplicate.status == 409 && duplicate.json?["detail"] == "A record of things with the same owner_id, name already exists",
                "\(duplicate.response)")
        #expect(try fixture.send("POST", "/things/", #"{"name": "same"}"#, as: .admin).status == 201, "unique per owner (other was deleted above)")
    }
}
