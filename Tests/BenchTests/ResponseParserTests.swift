import HTTP
import Testing

/// The client-side response parser (RFC 9112 §4, §6.3, §7.1): any split of the input frames the same response,
/// bodies come out in place, and malformed framing is refused rather than guessed at.
@Suite struct ResponseParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let wire: String
        let status: Int
        let body: String
        var answersHEAD = false
        var reusable = true
        var testDescription: String { wire.replacing("\r\n", with: "⏎") }
    }

    static let cases: [Case] = [
        Case(wire: "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{\"status\":\"ok\"}", status: 200, body: "{\"status\":\"ok\"}"),
        Case(wire: "HTTP/1.1 204 No Content\r\n\r\n", status: 204, body: ""),
        Case(wire: "HTTP/1.1 404 \r\ncontent-length: 0\r\n\r\n", status: 404, body: ""),
        Case(wire: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nA: b\r\n\r\n",
             status: 200, body: "hello world"),
        Case(wire: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nhi", status: 201, body: "hi"),
        Case(wire: "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", status: 200, body: "", answersHEAD: true),
        Case(wire: "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx", status: 200, body: "x", reusable: false),
        Case(wire: "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", status: 200, body: "x", reusable: false),
        Case(wire: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", status: 200, body: "x"),
    ]

    /// Split at every point into two reads: same status and body, every byte used, nothing after the response taken.
    @Test(arguments: cases)
    func everySplitFramesTheSameResponse(_ test: Case) throws {
        let wire = Array(test.wire.utf8)
        for split in 0...wire.count {
            var parser = ResponseParser(answersHEAD: test.answersHEAD)
            var body: [UInt8] = []
            let tail = Array("GET".utf8)   // the next response's bytes must not be consumed
            let first = try wire[..<split].withUnsafeBytes { try parser.parse($0) { body.append(contentsOf: $0) } }
            let second = try (Array(wire[split...]) + tail).withUnsafeBytes { try parser.parse($0) { body.append(contentsOf: $0) } }
            #expect(first + second == wire.count, "split at \(split)")
            #expect(parser.isComplete, "split at \(split)")
            #expect(parser.head?.status == test.status)
            #expect(parser.head?.allowsReuse == test.reusable)
            #expect(String(decoding: body, as: UTF8.self) == test.body, "split at \(split)")
        }
    }

    /// One byte per read frames the same response too.
    @Test(arguments: cases)
    func oneByteAtATime(_ test: Case) throws {
        var parser = ResponseParser(answersHEAD: test.answersHEAD)
        var body: [UInt8] = []
        for byte in test.wire.utf8 {
            #expect(!parser.isComplete)
            let used = try [byte].withUnsafeBytes { try parser.parse($0) { body.append(contentsOf: $0) } }
            #expect(used == 1)
        }
        #expect(parser.isComplete)
        #expect(String(decoding: body, as: UTF8.self) == test.body)
    }

    /// Without Content-Length or chunked, the body runs until the server closes, which completes it.
    @Test func closeDelimitedBodyEndsAtClose() throws {
        var parser = ResponseParser()
        let used = try Array("HTTP/1.1 200 OK\r\n\r\nsome bytes".utf8).withUnsafeBytes { try parser.parse($0) }
        #expect(used == 29)
        #expect(!parser.isComplete)
        #expect(parser.head?.allowsReuse == false)
        let finished = parser.finishAtClose()
        #expect(finished)
        var truncated = ResponseParser()
        _ = try Array("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc".utf8).withUnsafeBytes { try truncated.parse($0) }
        let truncatedFinished = truncated.finishAtClose()
        #expect(!truncatedFinished)
    }

    /// Framing the parser must not guess at: each is an error, never a response.
    @Test(arguments: [
        "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",                                   // bare LF
        "HTTP/2 200 OK\r\n\r\n",                                                        // not HTTP/1.x
        "HTTP/1.1 20 OK\r\n\r\n",                                                       // two-digit status
        "HTTP/1.1 200OK\r\n\r\n",                                                       // no SP after the code
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",           // duplicate length
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",                                // signed length
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",              // overflowing length
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n",   // both (smuggling)
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",                                       // space in a field name
        "HTTP/1.1 200 OK\r\n folded: x\r\n\r\n",                                        // obs-fold
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n",                   // bad chunk size
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",            // chunk longer than its size
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",                                     // an upgrade nobody asked for
        "\r\nHTTP/1.1 200 OK\r\n\r\n",                                                  // empty line first
    ])
    func malformedResponsesAreRefused(_ wire: String) {
        var parser = ResponseParser()
        #expect(throws: ResponseParseError.self) {
            _ = try Array(wire.utf8).withUnsafeBytes { try parser.parse($0) }
        }
    }

    /// A head larger than the limit is refused even when it arrives a little at a time.
    @Test func oversizedHeadIsRefused() throws {
        var parser = ResponseParser(maxHeadSize: 1024)
        _ = try Array("HTTP/1.1 200 OK\r\n".utf8).withUnsafeBytes { try parser.parse($0) }
        let field = Array("X-Filler: \(String(repeating: "a", count: 100))\r\n".utf8)
        #expect(throws: ResponseParseError.self) {
            for _ in 0..<20 { _ = try field.withUnsafeBytes { try parser.parse($0) } }
        }
    }
}
