import Bench
import Testing

/// The bench's reading of `text/event-stream` (WHATWG HTML §9.2.6): any split of the input dispatches the same
/// events; CRLF, LF and CR all end lines; comments, `retry` and unknown fields are dropped; `id` carries over.
@Suite struct EventStreamParserTests {
    struct Event: Equatable, CustomStringConvertible {
        let name: String, data: String, id: String
        var description: String { "\(name)|\(data)|\(id)" }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let wire: String
        let events: [String]   // name|data|id
        var testDescription: String { wire.replacing("\r", with: "␍").replacing("\n", with: "⏎") }
    }

    static let cases: [Case] = [
        Case(wire: "id: 41\nevent: created\ndata: {\"id\":7}\n\n", events: ["created|{\"id\":7}|41"]),
        Case(wire: ": keep-alive\n\nid: 1\r\nevent: updated\r\ndata: a\r\n\r\n", events: ["updated|a|1"]),
        Case(wire: "data:x\rdata: y\r\rid:9\nevent:left\ndata\n\n", events: ["message|x\ny|", "left||9"]),
        Case(wire: "\u{FEFF}data: first\n\nretry: 1000\nfoo: bar\n\ndata:  two spaces\n\n", events: ["message|first|", "message| two spaces|"]),
        Case(wire: "event: overflow\n\ndata: after\n\n", events: ["message|after|"]),
        Case(wire: "id: 5\ndata: a\n\ndata: b\n\nid\ndata: c\n\n", events: ["message|a|5", "message|b|5", "message|c|"]),
        Case(wire: "data: not yet dispatched\n", events: []),
    ]

    private static func parse(_ pieces: [ArraySlice<UInt8>]) throws -> [String] {
        var parser = EventStreamParser()
        var events: [String] = []
        for piece in pieces {
            try Array(piece).withUnsafeBytes { bytes in
                try parser.parse(bytes) { event in
                    events.append([event.name, event.data, event.lastEventID].map { String(decoding: $0, as: UTF8.self) }.joined(separator: "|"))
                }
            }
        }
        return events
    }

    /// Split at every pair of points into three reads: the same events.
    @Test(arguments: cases)
    func everySplitDispatchesTheSameEvents(_ test: Case) throws {
        let wire = Array(test.wire.utf8)
        for first in 0...wire.count {
            for second in first...wire.count {
                let events = try Self.parse([wire[..<first], wire[first..<second], wire[second...]])
                #expect(events == test.events, "split at \(first), \(second)")
            }
        }
    }

    /// A line longer than the limit is refused instead of growing without bound.
    @Test func aLineOverTheLimitIsRefused() throws {
        var parser = EventStreamParser(maxLineBytes: 16)
        #expect(throws: EventStreamParser.TooLong.self) {
            try Array("data: 0123456789abcdef".utf8).withUnsafeBytes { try parser.parse($0) { _ in } }
        }
    }
}
