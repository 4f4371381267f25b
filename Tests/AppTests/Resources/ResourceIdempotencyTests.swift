import Dispatch
import Glibc
import JSON
import Synchronization
import Testing
import TestKit
@testable import App

/// `Idempotency-Key` on `POST /R/` (issue 17, draft-ietf-httpapi-idempotency-key-header): a retry gets the first answer
/// and makes no second record; the same key with another body is 422, while the first is in flight 409, too long 400.
@Suite(.serialized) struct ResourceIdempotencyTests {
    @Test(.timeLimit(.minutes(3)))
    func aRetryGetsTheFirstAnswerAndNoSecondRecord() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        let first = try fixture.send("POST", "/notes/", #"{"text": "once"}"#, as: .owner, headers: [#"Idempotency-Key: "k-1""#])
        #expect(first.status == 201 && first.response.header("idempotent-replayed") == nil, "\(first.response)")
        let again = try fixture.send("POST", "/notes/", #"{"text": "once"}"#, as: .owner, headers: [#"Idempotency-Key: "k-1""#])
        #expect(again.status == 201 && again.response.body == first.response.body, "\(again.response)")
        #expect(again.response.header("location") == first.response.header("location") && again.response.header("etag") == #""1""#)
        #expect(again.response.header("idempotent-replayed") == "true")
        let bare = try fixture.send("POST", "/notes/", #"{"text": "once"}"#, as: .owner, headers: ["Idempotency-Key: k-1"])
        #expect(bare.response.body == first.response.body, "a bare token is the same key as the quoted string")
        let listed = try fixture.send("GET", "/notes/?filter=text%20%3D%20%22once%22&count=true")
        #expect(listed.json?["total"] == 1, "one record: \(listed.response)")

        let other = try fixture.send("POST", "/notes/", #"{"text": "changed"}"#, as: .owner, headers: [#"Idempotency-Key: "k-1""#])
        #expect(other.status == 422, "\(other.response)")
        #expect(other.json?["detail"]?.arrayValue?.first?["loc"] == ["header", "idempotency-key"])
        let otherCaller = try fixture.send("POST", "/notes/", #"{"text": "once"}"#, as: .other, headers: [#"Idempotency-Key: "k-1""#])
        #expect(otherCaller.status == 201 && otherCaller.response.header("idempotent-replayed") == nil, "keys are per caller")

        let long = String(repeating: "k", count: 256)
        #expect(try fixture.send("POST", "/notes/", #"{"text": "x"}"#, as: .owner, headers: ["Idempotency-Key: \(long)"]).status == 400)
        #expect(try fixture.send("POST", "/notes/", #"{"text": "x"}"#, as: .owner,
                                 headers: ["Idempotency-Key: \(String(long.dropFirst()))"]).status == 201, "255 bytes is the limit")
    }

    /// While the first request with a key waits for the writer (held busy here), a second one with the key gets 409
    /// at once; the first then answers 201, and a later retry gets its answer. Both requests are sent before the writer
    /// is let go, so whichever the server reads first is the one in flight.
    @Test(.timeLimit(.minutes(3)), .disabled(if: ResourceFixture.onPostgres, "it holds SQLite's one writer to keep the first request in flight"))
    func aRetryWhileTheFirstIsInFlightIs409() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        let writerBusy = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        fixture.application.services.store.submit({ _ in
            writerBusy.signal()
            release.wait()
        }, completion: { _ in })
        writerBusy.wait()
        let body = #"{"text": "slow"}"#, token = try #require(fixture.tokens[.owner])
        let request = "POST /notes/ HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
            + "Idempotency-Key: slow\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let clients = try (0..<2).map { _ in try TestClient(port: fixture.port) }
        defer { for client in clients { client.close() } }
        for client in clients { try client.send(request) }
        let early = clients.map { client in try? client.readResponse(timeout: 1) }
        release.signal()
        #expect(early.compactMap { $0?.status } == [409], "one answered at once, the other waits for the writer")
        let answered = try zip(clients, early).filter { $0.1 == nil }.map { client, _ in try client.readResponse(timeout: 5) }
        #expect(answered.map(\.status) == [201])
        let retry = try fixture.send("POST", "/notes/", body, as: .owner, headers: ["Idempotency-Key: slow"])
        #expect(retry.status == 201 && retry.response.header("idempotent-replayed") == "true" && retry.response.body == answered.first?.body)
    }
}
