import Glibc

/// A stateless, copy-free HTTP/1.1 request-head parser in the manner of picohttpparser.
///
/// The caller owns the bytes; the result is offsets into them. Work is bounded by the limits,
/// and `scannedUpTo` lets a caller that receives a head in pieces skip the lines it has already
/// had checked, so a client that trickles bytes costs O(n), not O(n²).
public enum RequestParser {
    /// Parses the head at the start of `bytes`, or says how far it got.
    public static func parseHead(
        _ bytes: UnsafeRawBufferPointer, scannedUpTo: Int = 0, limits: ParserLimits = ParserLimits()
    ) throws(ParseError) -> HeadParseResult {
        switch try findEndOfHead(bytes, from: scannedUpTo, limits: limits) {
        case .incomplete(let lineStart): return .incomplete(scannedUpTo: lineStart)
        case .end(let length):
            var reader = HeadReader(bytes: bytes, length: length, limits: limits)
            return .complete(try reader.read())
        }
    }

    private enum Scan { case end(Int), incomplete(Int) }

    /// Finds the blank line that ends the head, checking line lengths on the way and the method as
    /// soon as it arrives, so that garbage (a TLS ClientHello on the plain port) is refused at once.
    private static func findEndOfHead(_ bytes: UnsafeRawBufferPointer, from start: Int, limits: ParserLimits) throws(ParseError) -> Scan {
        let requestLineLimit = limits.maxRequestTarget + limits.maxMethodLength + 12
        var lineStart = start
        var sawRequestLine = bytes[..<start].contains { $0 != ASCII.cr && $0 != ASCII.lf }
        while true {
            let available = bytes.count - lineStart
            if !sawRequestLine && available > 0 && bytes[lineStart] != ASCII.cr && bytes[lineStart] != ASCII.lf {
                try checkMethodPrefix(bytes, from: lineStart, limits: limits)
            }
            guard let found = memchr(bytes.baseAddress! + lineStart, Int32(ASCII.lf), available) else {  // non-empty: callers never pass an empty buffer
                if sawRequestLine ? available > limits.maxHeaderLine + 2 : available > requestLineLimit {
                    throw sawRequestLine ? ParseError(.headerFieldsTooLarge, "Header field too large") : ParseError(.uriTooLong, "URI Too Long")
                }
                if bytes.count > limits.maxHeadSize { throw ParseError(.headerFieldsTooLarge, "Request header too large") }
                return .incomplete(lineStart)
            }
            let lineFeed = UnsafeRawPointer(found) - bytes.baseAddress!
            let lineLength = lineFeed - lineStart
            if lineLength == 0 { throw .bad("Bare LF line ending") }     // RFC 9112 §2.2: we take CRLF only
            if lineLength == 1 && bytes[lineStart] == ASCII.cr {
                if sawRequestLine { return .end(lineFeed + 1) }        // else: RFC 9112 §2.2 leading empty line, skipped
            } else if !sawRequestLine {
                if lineLength > requestLineLimit { throw ParseError(.uriTooLong, "URI Too Long") }
                sawRequestLine = true
            } else if lineLength > limits.maxHeaderLine + 1 {
                throw ParseError(.headerFieldsTooLarge, "Header field too large")
            }
            lineStart = lineFeed + 1
            if lineStart > limits.maxHeadSize { throw ParseError(.headerFieldsTooLarge, "Request header too large") }
        }
    }

    /// Checks the method token over whatever of it has arrived: token bytes up to a space, and not too long.
    private static func checkMethodPrefix(_ bytes: UnsafeRawBufferPointer, from start: Int, limits: ParserLimits) throws(ParseError) {
        let end = min(bytes.count, start + limits.maxMethodLength + 1)
        for index in start..<end {
            let byte = bytes[index]
            if byte == ASCII.space { return }
            if !ASCII.isToken(byte) { throw .bad("Invalid request line") }
        }
        if end - start > limits.maxMethodLength { throw ParseError(.notImplemented, "Method not implemented") }
    }
}
