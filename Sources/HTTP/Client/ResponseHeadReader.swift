/// Reads one complete response head (its end already found) into a `ResponseHead`, enforcing RFC 9112's grammar.
struct ResponseHeadReader {
    let bytes: UnsafeRawBufferPointer
    let length: Int
    private var index = 0
    private var contentLengthCount = 0
    private var transferEncoding: Range<Int>?
    private var transferEncodingCount = 0

    init(bytes: UnsafeRawBufferPointer, length: Int) {
        self.bytes = bytes
        self.length = length
    }

    mutating func read() throws(ResponseParseError) -> ResponseHead {
        var head = try readStatusLine()
        while bytes[index] != ASCII.cr {
            try readField(into: &head)
        }
        try checkFraming(&head)
        return head
    }

    // MARK: - Status line (RFC 9112 §4)

    /// `HTTP/1.x SP 3DIGIT SP [reason-phrase] CRLF`; the reason is not interpreted (§4: clients should ignore it).
    private mutating func readStatusLine() throws(ResponseParseError) -> ResponseHead {
        guard length >= 14, UnsafeRawBufferPointer(rebasing: bytes[0..<7]).elementsEqual("HTTP/1.".utf8),
              let minor = ASCII.decimalDigit(bytes[7]), bytes[8] == ASCII.space,
              let hundreds = ASCII.decimalDigit(bytes[9]), let tens = ASCII.decimalDigit(bytes[10]),
              let units = ASCII.decimalDigit(bytes[11]), bytes[12] == ASCII.space, hundreds >= 1
        else { throw ResponseParseError("Invalid status line") }
        index = 13
        while ASCII.isFieldValue(bytes[index]) { index += 1 }
        guard bytes[index] == ASCII.cr, bytes[index + 1] == ASCII.lf else { throw ResponseParseError("Invalid status line") }
        index += 2
        let status = Int(hundreds) * 100 + Int(tens) * 10 + Int(units)
        return ResponseHead(status: status, minorVersion: min(Int(minor), 1), length: length)
    }

    // MARK: - Fields (RFC 9112 §5, RFC 9110 §5.5)

    private mutating func readField(into head: inout ResponseHead) throws(ResponseParseError) {
        let nameStart = index
        while ASCII.isToken(bytes[index]) { index += 1 }
        let name = UnsafeRawBufferPointer(rebasing: bytes[nameStart..<index])
        // Whitespace before the colon, or at the start (obs-fold), is refused as §5.1 and §5.2 require of servers.
        guard !name.isEmpty, bytes[index] == ASCII.colon else { throw ResponseParseError("Invalid header field") }
        index += 1
        while ASCII.isWhitespace(bytes[index]) { index += 1 }
        let valueStart = index
        while ASCII.isFieldValue(bytes[index]) { index += 1 }
        guard bytes[index] == ASCII.cr, bytes[index + 1] == ASCII.lf else { throw ResponseParseError("Invalid character in header field") }
        var valueEnd = index
        while valueEnd > valueStart && ASCII.isWhitespace(bytes[valueEnd - 1]) { valueEnd -= 1 }
        index += 2
        try interpret(name: name, value: valueStart..<valueEnd, into: &head)
    }

    private mutating func interpret(name: UnsafeRawBufferPointer, value: Range<Int>, into head: inout ResponseHead) throws(ResponseParseError) {
        let text = UnsafeRawBufferPointer(rebasing: bytes[value])
        switch name.count {
        case 10 where ASCII.equalsIgnoringCase(name, "connection"):
            for option in ListSplitter(text) {
                if ASCII.equalsIgnoringCase(option, "close") { head.connectionClose = true }
                if ASCII.equalsIgnoringCase(option, "keep-alive") { head.connectionKeepAlive = true }
            }
        case 14 where ASCII.equalsIgnoringCase(name, "content-length"):
            contentLengthCount += 1
            head.contentLength = try Self.contentLength(text)
        case 17 where ASCII.equalsIgnoringCase(name, "transfer-encoding"):
            transferEncodingCount += 1
            transferEncoding = value
        default:
            break
        }
    }

    /// `1*DIGIT` only: no sign, no list, no overflow (RFC 9110 §8.6).
    private static func contentLength(_ value: UnsafeRawBufferPointer) throws(ResponseParseError) -> Int {
        guard !value.isEmpty else { throw ResponseParseError("Invalid Content-Length") }
        var result = 0
        for byte in value {
            guard let digit = ASCII.decimalDigit(byte) else { throw ResponseParseError("Invalid Content-Length") }
            let (times10, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(digit))
            if overflow1 || overflow2 { throw ResponseParseError("Invalid Content-Length") }
            result = sum
        }
        return result
    }

    // MARK: - Framing (RFC 9112 §6.3)

    private func checkFraming(_ head: inout ResponseHead) throws(ResponseParseError) {
        if contentLengthCount > 1 { throw ResponseParseError("Duplicate Content-Length") }
        guard let encoding = transferEncoding else { return }
        // §6.3 item 3: both headers "ought to be handled as an error" (request smuggling or response splitting).
        if contentLengthCount > 0 { throw ResponseParseError("Both Transfer-Encoding and Content-Length") }
        if transferEncodingCount > 1 { throw ResponseParseError("Duplicate Transfer-Encoding") }
        var last: UnsafeRawBufferPointer?
        for coding in ListSplitter(UnsafeRawBufferPointer(rebasing: bytes[encoding]), keepEmpty: true) {
            guard !coding.isEmpty, coding.allSatisfy(ASCII.isToken) else { throw ResponseParseError("Invalid Transfer-Encoding") }
            last = coding
        }
        // §6.3 item 4: a response whose final coding is not chunked runs until the server closes.
        if let last, ASCII.equalsIgnoringCase(last, "chunked") { head.isChunked = true } else { head.isCloseDelimited = true }
    }
}
