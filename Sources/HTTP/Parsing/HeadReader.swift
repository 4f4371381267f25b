/// Reads one complete head (its end already found) into a `RequestHead`, enforcing RFC 9112's grammar.
struct HeadReader {
    let bytes: UnsafeRawBufferPointer
    let length: Int
    let limits: ParserLimits
    private var index = 0

    // Facts gathered from the fields, checked together once all are read.
    private var hostCount = 0
    private var host: Range<Int>?
    private var contentLengthCount = 0
    private var transferEncodingCount = 0
    private var transferEncoding: Range<Int>?

    init(bytes: UnsafeRawBufferPointer, length: Int, limits: ParserLimits) {
        self.bytes = bytes
        self.length = length
        self.limits = limits
    }

    mutating func read() throws(ParseError) -> RequestHead {
        while bytes[index] == ASCII.cr { index += 2 }     // leading empty lines, already known to be CRLF
        var head = try readRequestLine()
        head.fields.reserveCapacity(8)
        while bytes[index] != ASCII.cr {
            let field = try readField()
            head.fields.append(field)
            if head.fields.count > limits.maxHeaderCount { throw ParseError(.headerFieldsTooLarge, "Too many header fields") }
            try interpret(field, into: &head)
        }
        head.length = length
        try checkFraming(&head)
        return head
    }

    // MARK: - Request line (RFC 9112 §3)

    private mutating func readRequestLine() throws(ParseError) -> RequestHead {
        let methodStart = index
        while ASCII.isToken(bytes[index]) { index += 1 }
        let methodToken = UnsafeRawBufferPointer(rebasing: bytes[methodStart..<index])
        guard !methodToken.isEmpty, bytes[index] == ASCII.space else { throw .bad("Invalid request line") }
        let method = Method(token: methodToken) ?? .unknown
        index += 1
        let targetStart = index
        while bytes[index] > ASCII.space && bytes[index] < 0x7F { index += 1 }
        let target = targetStart..<index
        guard !target.isEmpty, bytes[index] == ASCII.space else { throw .bad("Invalid request target") }
        if target.count > limits.maxRequestTarget { throw ParseError(.uriTooLong, "URI Too Long") }
        index += 1
        let minor = try readVersion()
        try checkTargetForm(method: method, target: target)
        return RequestHead(method: method, minorVersion: minor, target: target, fields: [], length: 0)
    }

    /// `HTTP/1.1` and `HTTP/1.0`; other 1.x are answered as 1.1, other majors get 505 (RFC 9110 §6.2).
    private mutating func readVersion() throws(ParseError) -> Int {
        guard index + 10 <= length, bytes[index + 8] == ASCII.cr, bytes[index + 9] == ASCII.lf,
              UnsafeRawBufferPointer(rebasing: bytes[index..<index + 5]).elementsEqual("HTTP/".utf8),
              bytes[index + 6] == UInt8(ascii: "."),
              let major = ASCII.decimalDigit(bytes[index + 5]), let minor = ASCII.decimalDigit(bytes[index + 7])
        else { throw .bad("Invalid HTTP version") }
        index += 10
        guard major == 1 else { throw ParseError(.httpVersionNotSupported, "HTTP Version Not Supported") }
        return min(Int(minor), 1)
    }

    /// Origin form for everything; absolute form is accepted (RFC 9112 §3.2.2); `*` only with OPTIONS; no CONNECT.
    private func checkTargetForm(method: Method, target: Range<Int>) throws(ParseError) {
        if method == .connect { throw .bad("CONNECT is not supported") }
        let first = bytes[target.lowerBound]
        if first == UInt8(ascii: "/") { return }
        if first == UInt8(ascii: "*") && target.count == 1 {
            if method == .options { return }
            throw .bad("Asterisk form is only for OPTIONS")
        }
        if RequestTarget.absoluteFormPathStart(UnsafeRawBufferPointer(rebasing: bytes[target])) == nil {
            throw .bad("Invalid request target")
        }
    }

    // MARK: - Fields (RFC 9112 §5, RFC 9110 §5.5)

    private mutating func readField() throws(ParseError) -> HeaderField {
        let nameStart = index
        while ASCII.isToken(bytes[index]) { index += 1 }
        let nameEnd = index
        guard nameEnd > nameStart, bytes[index] == ASCII.colon else {
            // Whitespace first is obs-fold or a line before the first field; whitespace before the colon is §5.1's MUST-reject.
            throw .bad("Invalid header field")
        }
        index += 1
        while ASCII.isWhitespace(bytes[index]) { index += 1 }
        let valueStart = index
        while ASCII.isFieldValue(bytes[index]) { index += 1 }
        guard bytes[index] == ASCII.cr, bytes[index + 1] == ASCII.lf else { throw .bad("Invalid character in header field") }
        var valueEnd = index
        while valueEnd > valueStart && ASCII.isWhitespace(bytes[valueEnd - 1]) { valueEnd -= 1 }
        index += 2
        return HeaderField(nameStart: Int32(nameStart), nameEnd: Int32(nameEnd), valueStart: Int32(valueStart), valueEnd: Int32(valueEnd))
    }

    private mutating func interpret(_ field: HeaderField, into head: inout RequestHead) throws(ParseError) {
        let name = UnsafeRawBufferPointer(rebasing: bytes[Int(field.nameStart)..<Int(field.nameEnd)])
        let value = UnsafeRawBufferPointer(rebasing: bytes[Int(field.valueStart)..<Int(field.valueEnd)])
        switch name.count {
        case 4 where ASCII.equalsIgnoringCase(name, "host"):
            hostCount += 1
            host = Int(field.valueStart)..<Int(field.valueEnd)
        case 6 where ASCII.equalsIgnoringCase(name, "expect"):
            if ASCII.equalsIgnoringCase(value, "100-continue") { head.expectContinue = true } else { head.hasUnknownExpectation = true }
        case 10 where ASCII.equalsIgnoringCase(name, "connection"):
            readConnectionOptions(value, into: &head)
        case 14 where ASCII.equalsIgnoringCase(name, "content-length"):
            contentLengthCount += 1
            head.contentLength = try Self.contentLength(value)
        case 17 where ASCII.equalsIgnoringCase(name, "transfer-encoding"):
            transferEncodingCount += 1
            transferEncoding = Int(field.valueStart)..<Int(field.valueEnd)
        default:
            break
        }
    }

    private func readConnectionOptions(_ value: UnsafeRawBufferPointer, into head: inout RequestHead) {
        for option in ListSplitter(value) {
            if ASCII.equalsIgnoringCase(option, "close") { head.connectionClose = true }
            if ASCII.equalsIgnoringCase(option, "keep-alive") { head.connectionKeepAlive = true }
        }
    }

    /// `1*DIGIT` only: no sign, no spaces, no lists, no overflow (RFC 9110 §8.6).
    private static func contentLength(_ value: UnsafeRawBufferPointer) throws(ParseError) -> Int {
        guard !value.isEmpty else { throw .bad("Invalid Content-Length") }
        var result = 0
        for byte in value {
            guard let digit = ASCII.decimalDigit(byte) else { throw .bad("Invalid Content-Length") }
            let (times10, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(digit))
            if overflow1 || overflow2 { throw .bad("Invalid Content-Length") }
            result = sum
        }
        return result
    }

    // MARK: - Framing (RFC 9112 §6)

    private func checkFraming(_ head: inout RequestHead) throws(ParseError) {
        if head.minorVersion == 1 && hostCount == 0 { throw .bad("Missing Host header") }
        if hostCount > 1 { throw .bad("Duplicate Host header") }
        if let host {
            let value = UnsafeRawBufferPointer(rebasing: bytes[host])
            if value.isEmpty && head.minorVersion == 1 { throw .bad("Empty Host header") }
            if !value.isEmpty && !HostSyntax.isValid(value) { throw .bad("Invalid Host header") }
        }
        if contentLengthCount > 1 { throw .bad("Duplicate Content-Length") }
        if let encoding = transferEncoding {
            // §6.1: both is a smuggling attempt; HTTP/1.0 has no chunked coding.
            if contentLengthCount > 0 { throw .bad("Both Transfer-Encoding and Content-Length") }
            if head.minorVersion == 0 { throw .bad("Transfer-Encoding in HTTP/1.0") }
            if transferEncodingCount > 1 { throw .bad("Duplicate Transfer-Encoding") }
            try checkTransferEncoding(UnsafeRawBufferPointer(rebasing: bytes[encoding]))
            head.isChunked = true
        }
        if let declared = head.contentLength, declared > limits.maxBodySize {
            throw ParseError(.contentTooLarge, "Request body too large")
        }
    }

    /// Only `chunked` alone is served; `chunked` must be last (§6.3); other codings are 501 (§6.1).
    private func checkTransferEncoding(_ value: UnsafeRawBufferPointer) throws(ParseError) {
        var codings: [UnsafeRawBufferPointer] = []
        for coding in ListSplitter(value, keepEmpty: true) {
            guard !coding.isEmpty, coding.allSatisfy(ASCII.isToken) else { throw .bad("Invalid Transfer-Encoding") }
            codings.append(coding)
        }
        let chunkedCount = codings.filter { ASCII.equalsIgnoringCase($0, "chunked") }.count
        guard let last = codings.last, ASCII.equalsIgnoringCase(last, "chunked"), chunkedCount == 1 else {
            throw .bad("Invalid Transfer-Encoding")
        }
        if codings.count > 1 { throw ParseError(.notImplemented, "Transfer coding not implemented") }
    }
}

extension ASCII {
    /// The value of a decimal digit, or nil.
    @inline(__always)
    static func decimalDigit(_ byte: UInt8) -> UInt8? {
        byte &- UInt8(ascii: "0") < 10 ? byte &- UInt8(ascii: "0") : nil
    }
}
