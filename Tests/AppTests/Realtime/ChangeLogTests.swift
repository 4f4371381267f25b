import JSON
import TestKit
import Testing
@testable import App

/// The change log (DESIGN §11): every change of a resource's records logged in its transaction with the record as
/// the API shows it (cascades included), trimmed by retention; and the event stream over it: live events, a
/// resume, a `reset` for an id the log no longer holds, a filter that does not parse.
@Suite struct ChangeLogTests {
    /// What `client` has received once it holds `expected`, or after five seconds (on PostgreSQL an event comes through
    /// the doorbell, or the streams' half-second poll, which a loaded machine can hold past a second).
    private static func received(_ client: TestClient, _ expected: String) -> String {
        for _ in 0..<100 where !String(decoding: client.buffered, as: UTF8.self).contains(expected) { _ = client.readAvailable(timeout: 0.05) }
        return String(decoding: client.buffered, as: UTF8.self)
    }

    private static func logged(_ fixture: ResourceFixture) throws -> [Change] {
        try fixture.application.services.store.write { try $0.changes.changes(after: 0, of: nil, limit: 100) }
    }

    @Test(.timeLimit(.minutes(3)))
    func everyChangeIsLoggedAsTheAPIShowsTheRecord() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        let note = try fixture.create("notes", #"{"text": "first"}"#, as: .owner)
        let shown = try #require(try fixture.send("PATCH", "/notes/\(note)", #"{"text": "second"}"#, as: .owner).json?.objectValue)
        let thing = try fixture.create("things", #"{"name": "a", "done": true, "tags": ["x"], "meta": {"k": 1}, "ratio": 0.5}"#, as: .owner)
        let shownThing = try #require(try fixture.send("GET", "/things/\(thing)", as: .owner).json?.objectValue)
        #expect(try fixture.send("DELETE", "/users/\(fixture.users[.owner]!)", as: .admin).status == 204)

        let changes = try Self.logged(fixture)
        #expect(changes.map { "\($0.resource) \($0.recordID) \($0.operation)" }
                == ["notes \(note) created", "notes \(note) updated", "things \(thing) created", "things \(thing) deleted", "notes \(note) deleted"]
                || changes.map { "\($0.resource) \($0.recordID) \($0.operation)" }
                == ["notes \(note) created", "notes \(note) updated", "things \(thing) created", "notes \(note) deleted", "things \(thing) deleted"],
                "the user's records went with them, and were logged")
        #expect(changes[1].record == shown && changes[1].previous?["text"] == "first")
        #expect(changes[2].record == shownThing, "Booleans, arrays and objects as the API shows them")
        #expect(changes.map(\.sequence) == Array(1...5))
        #expect(changes.map(\.actor) == [fixture.users[.owner], fixture.users[.owner], fixture.users[.owner], fixture.users[.admin], fixture.users[.admin]],
                "each change is its request's caller's; the cascade is the admin's who deleted the user")
        #expect(changes.allSatisfy { $0.requestID?.isEmpty == false } && Set(changes.compactMap(\.requestID)).count == 4)
    }

    @Test(.timeLimit(.minutes(3)))
    func retentionTrimsTheOldestAndAResumeBeforeThemIsReset() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        for text in ["a", "b", "c"] { _ = try fixture.create("notes", #"{"text": "\#(text)"}"#, as: .owner) }
        let purged = try fixture.application.services.store.write { transaction in
            (try transaction.changes.purge(before: "2000-01-01T00:00:00.000Z", keeping: 1, limit: 1000), try transaction.changes.bounds())
        }
        #expect(purged.0 == 2 && purged.1 == (3, 3))

        let client = try TestClient(port: fixture.port)
        defer { client.close() }
        try client.send("GET /notes/events HTTP/1.1\r\nHost: test\r\nLast-Event-ID: 1\r\n\r\n")
        let reset = Self.received(client, "event: reset")
        #expect(reset.contains("id: 3\nevent: reset\n"), "\(reset)")
        _ = try fixture.create("notes", #"{"text": "d"}"#, as: .owner)
        let live = Self.received(client, "event: created")
        #expect(live.contains("id: 4\nevent: created\n") && live.contains(#""text":"d""#), "\(live)")

        let resumed = try TestClient(port: fixture.port)
        defer { resumed.close() }
        try resumed.send("GET /notes/events?last_event_id=3 HTTP/1.1\r\nHost: test\r\n\r\n")
        let replay = Self.received(resumed, "event: created")
        // "\nid: 3\n": the header `x-request-id: 3...` (a random id that begins with 3) is no event.
        #expect(replay.contains("text/event-stream") && replay.contains("\nid: 4\nevent: created\n") && !replay.contains("\nid: 3\n"), "\(replay)")

        let scrape = try TestClient(port: fixture.port)
        defer { scrape.close() }
        try scrape.send("GET /metrics HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer \(fixture.tokens[.admin]!)\r\n\r\n")
        let metrics = String(decoding: try scrape.readResponse().body, as: UTF8.self)
        for line in ["api_realtime_subscriptions{kind=\"sse\"} 2", "api_realtime_subscriptions{kind=\"websocket\"} 0",
                     "api_realtime_subscriptions{kind=\"channel\"} 0", "api_realtime_changelog_changes 2", "api_realtime_changelog_last_sequence 4",
                     "api_realtime_events_sent_total 2", "api_realtime_overflows_total 0"] {
            #expect(metrics.contains(line + "\n"), "\(line)")
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aFilterThatDoesNotParseIs422() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        let answer = try fixture.send("GET", "/notes/events?filter=text%20%3D%3D")
        #expect(answer.status == 422 && answer.json?["detail"]?.arrayValue?.first?["loc"] == ["query", "filter"], "\(answer.response)")
    }
}
