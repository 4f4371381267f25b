import Dispatch
import JSON
import Synchronization
import Testing
import TestKit
@testable import App

/// Safe writes (issue 17): every record read carries its version as `ETag`; `If-None-Match` answers 304 and
/// `If-Match` makes a change that would overwrite another one a 412 (RFC 9110 §13).
@Suite(.serialized) struct ResourceConditionalTests {
    /// Must show 1: two clients read the same record and both PATCH it with the tag they read, at the same time:
    /// exactly one gets 200, the other 412, and the record holds the winner's change only.
    @Test(.timeLimit(.minutes(3)))
    func aLostUpdateIsImpossible() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        for round in 0..<20 {
            let id = try fixture.create("notes", #"{"text": "first \#(round)"}"#, as: .owner)
            let read = try fixture.send("GET", "/notes/\(id)", as: .owner)
            let tag = try #require(read.response.header("etag"))
            #expect(tag == #""1""#)
            let answers = Mutex<[Int: Int]>([:])
            DispatchQueue.concurrentPerform(iterations: 2) { client in
                let answer = try? fixture.send("PATCH", "/notes/\(id)", #"{"text": "client \#(client)"}"#, as: .owner, headers: ["If-Match: \(tag)"])
                answers.withLock { $0[client] = answer?.status ?? 0 }
            }
            let statuses = answers.withLock { $0 }
            #expect(statuses.values.sorted() == [200, 412], "round \(round): \(statuses)")
            let winner = try #require(statuses.first { $0.value == 200 }?.key)
            let after = try fixture.send("GET", "/notes/\(id)", as: .owner)
            #expect(after.json?["text"] == .string("client \(winner)") && after.json?["version"] == 2)
            #expect(after.response.header("etag") == #""2""#)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func conditionsAnswerAsTheRFCSays() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        let created = try fixture.send("POST", "/notes/", #"{"text": "a"}"#, as: .owner)
        #expect(created.response.header("etag") == #""1""#)
        let id = try #require(created.json?["id"]?.intValue)
        let notModified = try fixture.send("GET", "/notes/\(id)", headers: [#"If-None-Match: "0", W/"1""#])
        #expect(notModified.status == 304 && notModified.response.body.isEmpty && notModified.response.header("etag") == #""1""#)
        #expect(try fixture.send("GET", "/notes/\(id)", headers: [#"If-None-Match: "2""#]).status == 200)
        #expect(try fixture.send("PATCH", "/notes/\(id)", #"{"text": "b"}"#, as: .owner, headers: [#"If-Match: W/"1""#]).status == 412,
                "If-Match compares strongly")
        #expect(try fixture.send("PATCH", "/notes/\(id)", #"{"text": "b"}"#, as: .owner, headers: ["If-Match: *"]).status == 200)
        let stale = try fixture.send("DELETE", "/notes/\(id)", as: .owner, headers: [#"If-Match: "1""#])
        #expect(stale.status == 412 && stale.json?["detail"] == "Precondition Failed", "\(stale.response)")
        #expect(try fixture.send("PUT", "/notes/\(id)", #"{"text": "c"}"#, as: .owner, headers: [#"If-Match: "2""#]).status == 200)
        #expect(try fixture.send("DELETE", "/notes/\(id)", as: .owner, headers: [#"If-Match: "3""#]).status == 204)
        #expect(try fixture.send("DELETE", "/notes/\(id)", as: .owner, headers: ["If-Match: *"]).status == 404,
                "no record: the precondition is not looked at (RFC 9110 §13.2.1)")
    }
}
