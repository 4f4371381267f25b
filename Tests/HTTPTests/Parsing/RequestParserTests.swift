import Foundation
import HTTP
import TestKit
import Testing

/// RFC 9112 §2-§5 head parsing, pico-style: every prefix, every one-byte feed, and the limits.
@Suite struct RequestParserTests {
    static let validHeads: [String] = [
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST /users HTTP/1.0\r\n\r\n",
        "POST /users/?x=1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n",
        "PUT /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nX-Empty:\r\nX-Tabs: \t v \t\r\n\r\n",
        "\r\nGET http://example.com/p?q HTTP/1.1\r\nHost: example.com\r\nConnection: keep-alive, close\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nX-Obs: caf\u{e9}\r\n\r\n",
    ]

    /// Every strict prefix of a valid head is `.incomplete`, never an error (a slow client is not a bad client).
    @Test(arguments: validHeads)
    func everyPrefixIsIncomplete(head: String) throws {
        let bytes = Array(head.utf8)
        for length in 1..<bytes.count {
            let result = try bytes[..<length].withUnsafeBytes { try RequestParser.parseHead($0) }
            guard case .incomplete(let scanned) = result else {
                Issue.record("prefix of \(length) bytes gave \(result)")
                continue
            }
            #expect(scanned <= length, "prefix of \(length) bytes")
        }
        let whole = try parseCompleteHead(bytes)
        #expect(whole.length == bytes.count)
    }

    /// Feeding one byte at a time and passing `scannedUpTo` back gives the same head as one shot, and the scan
    /// position only moves forward (so a trickling client costs O(n), not O(n²)).
    @Test(arguments: validHeads)
    func oneByteAtATimeMatchesOneShot(head: String) throws {
        let bytes = Array(head.utf8)
        let expected = try parseCompleteHead(bytes)
        var scannedUpTo = 0
        var parsed: RequestHead?
        for length in 1...bytes.count {
            let result = try bytes[..<length].withUnsafeBytes { try RequestParser.parseHead($0, scannedUpTo: scannedUpTo) }
            switch result {
            case .incomplete(let scanned):
                #expect(scanned >= scannedUpTo && scanned <= length, "scan went from \(scannedUpTo) to \(scanned) at \(length)")
                scannedUpTo = scanned
            case .complete(let head):
                #expect(length == bytes.count, "completed early at \(length) of \(bytes.count)")
                parsed = head
            }
        }
        #expect(parsed == expected)
    }

    /// A head followed by the next pipelined request ends where its blank line ends.
    @Test func headLengthStopsAtTheBlankLine() throws {
        let first = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
        let head = try parseCompleteHead(Array((first + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n").utf8))
        #expect(head.length == first.utf8.count)
    }

    struct FramingCase: Sendable, CustomTestStringConvertible {
        let head: String
        let contentLength: Int?
        let isChunked: Bool
        let keepAlive: Bool
        let expectContinue: Bool
        var testDescription: String { head.replacingOccurrences(of: "\r\n", with: "⏎") }
    }

    /// The framing facts the connection acts on, per RFC 9112 §6 and §9.3.
    @Test(arguments: [
        FramingCase(head: "GET / HTTP/1.1\r\nHost: h\r\n\r\n", contentLength: nil, isChunked: false, keepAlive: true, expectContinue: false),
        FramingCase(head: "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", contentLength: nil, isChunked: false, keepAlive: false, expectContinue: false),
        FramingCase(head: "GET / HTTP/1.0\r\n\r\n", contentLength: nil, isChunked: false, keepAlive: false, expectContinue: false),
        FramingCase(head: "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", contentLength: nil, isChunked: false, keepAlive: true, expectContinue: false),
        FramingCase(head: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0005\r\n\r\n", contentLength: 5, isChunked: false, keepAlive: true, expectContinue: false),
        FramingCase(head: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n", contentLength: nil, isChunked: true, keepAlive: true, expectContinue: false),
        FramingCase(head: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-Continue\r\n\r\n", contentLength: 3, isChunked: false, keepAlive: true, expectContinue: true),
        FramingCase(head: "GET / HTTP/1.9\r\nHost: h\r\n\r\n", contentLength: nil, isChunked: false, keepAlive: true, expectContinue: false),
    ])
    func framingFacts(_ framing: FramingCase) throws {
        let head = try parseCompleteHead(Array(framing.head.utf8))
        #expect(head.contentLength == framing.contentLength)
        #expect(head.isChunked == framing.isChunked)
        #expect(head.wantsKeepAlive == framing.keepAlive)
        #expect(head.expectContinue == framing.expectContinue)
    }

    struct LimitCase: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        let status: Int
        var testDescription: String { name }
    }

    /// Each limit gives its status (an endless line or head as soon as it passes the limit, without waiting for the rest).
    @Test(arguments: [
        LimitCase(name: "target over 8 KiB is 414", bytes: Array("GET /\(String(repeating: "a", count: 8200)) HTTP/1.1\r\nHost: h\r\n\r\n".utf8), status: 414),
        LimitCase(name: "request line without end is 414", bytes: Array("GET /\(String(repeating: "a", count: 9000))".utf8), status: 414),
        LimitCase(name: "one header line over 8 KiB is 431", bytes: Array("GET / HTTP/1.1\r\nX: \(String(repeating: "v", count: 8300))".utf8), status: 431),
        LimitCase(name: "head over 32 KiB is 431",
                  bytes: Array(("GET / HTTP/1.1\r\n" + String(repeating: "X-Field: \(String(repeating: "v", count: 4000))\r\n", count: 9)).utf8), status: 431),
        LimitCase(name: "101 header fields is 431",
                  bytes: Array(("GET / HTTP/1.1\r\nHost: h\r\n" + (1...100).map { "X-\($0): v\r\n" }.joined() + "\r\n").utf8), status: 431),
        LimitCase(name: "Content-Length over 1 MiB is 413", bytes: Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1048577\r\n\r\n".utf8), status: 413),
        LimitCase(name: "method of 33 bytes is 501", bytes: Array("\(String(repeating: "M", count: 33))".utf8), status: 501),
        LimitCase(name: "HTTP/2.0 is 505", bytes: Array("GET / HTTP/2.0\r\nHost: h\r\n\r\n".utf8), status: 505),
        LimitCase(name: "TLS record byte is 400 at once", bytes: [0x16, 0x03, 0x01], status: 400),
        LimitCase(name: "bare LF is 400", bytes: Array("GET / HTTP/1.1\nHost: h\n\n".utf8), status: 400),
    ])
    func limitsGiveTheirStatus(_ limit: LimitCase) {
        #expect(OfflineServer.refusal(limit.bytes) == limit.status)
    }

    /// Issue 14, item 11: a `Host` outside `uri-host [ ":" port ]` (RFC 3986 §3.2.2) is 400 (RFC 9112 §3.2).
    @Test(arguments: ["a b", "a:1:2", "h:80x", "h:-1", "[::1", "[::1]x", "[]", "[zz]", "a/b", "a@b", "a%2", "a%zz", "[v1]", "[vx.a]", "\"h\""])
    func anInvalidHostIs400(_ host: String) {
        #expect(OfflineServer.refusal(Array("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8)) == 400, "\(host)")
    }

    /// Every form of `uri-host [ ":" port ]` is served.
    @Test(arguments: ["h", "api.example.com", "api.example.com:8000", "127.0.0.1:80", "h:", "[::1]", "[::1]:8080", "[2001:db8::7]",
                      "[::ffff:192.0.2.1]", "[v7.fe80::a+en1]", "xn--bcher-kva.example", "a%2Fb", "a_b~c!$&'()*+,;="])
    func aValidHostIsServed(_ host: String) {
        #expect(OfflineServer.refusal(Array("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8)) == nil, "\(host)")
    }

    /// Exactly at the limits is still accepted (off-by-one guard).
    @Test func exactlyAtTheLimitsIsAccepted() throws {
        let target = "/" + String(repeating: "a", count: 8191)
        #expect(OfflineServer.refusal(Array("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n".utf8)) == nil)
        let hundred = "GET / HTTP/1.1\r\nHost: h\r\n" + (1...99).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        #expect(OfflineServer.refusal(Array(hundred.utf8)) == nil)
        #expect(OfflineServer.refusal(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1048576\r\n\r\n".utf8)) == nil)
    }

    /// Limits are parameters: a smaller body limit refuses a smaller Content-Length.
    @Test func limitsAreParameters() {
        var limits = ParserLimits()
        limits.maxBodySize = 10
        #expect(OfflineServer.refusal(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n".utf8), limits: limits) == 413)
        #expect(OfflineServer.refusal(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n".utf8), limits: limits) == nil)
    }
}
