import JSON
import TestKit
import Testing
@testable import App

/// Tickets for browsers' streams (DESIGN §11, "Access"): `POST /realtime/ticket` needs a token; a ticket opens one
/// stream as its caller, once.
@Suite struct StreamTicketTests {
    @Test(.timeLimit(.minutes(3)))
    func aTicketOpensOneStreamAsItsCaller() throws {
        let fixture = try ResourceFixture()
        defer { fixture.stop() }
        #expect(try fixture.send("POST", "/realtime/ticket").status == 401)
        let issued = try fixture.send("POST", "/realtime/ticket", as: .owner)
        let ticket = try #require(issued.json?["ticket"]?.stringValue)
        #expect(issued.status == 200 && issued.json?["expires_in"] == 30 && ticket.utf8.count == 43)

        let client = try TestClient(port: fixture.port)
        defer { client.close() }
        try client.send("GET /things/events?ticket=\(ticket) HTTP/1.1\r\nHost: test\r\n\r\n")
        _ = client.readAvailable(timeout: 0.5)
        let thing = try fixture.create("things", #"{"name": "mine"}"#, as: .owner)
        _ = try fixture.create("things", #"{"name": "theirs"}"#, as: .other)
        var received = ""
        for _ in 0..<20 where !received.contains("event: created") {
            _ = client.readAvailable(timeout: 0.05)
            received = String(decoding: client.buffered, as: UTF8.self)
        }
        #expect(received.hasPrefix("HTTP/1.1 200") && received.contains(#"data: {"id":\#(thing),"name":"mine""#) && !received.contains("theirs"),
                "the stream is the owner's, who reads only their things: \(received)")

        #expect(try fixture.send("GET", "/things/events?ticket=\(ticket)").status == 401, "a ticket works once")
        #expect(try fixture.send("GET", "/things/events?ticket=unknown").status == 401)
    }
}
