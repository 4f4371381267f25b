/// Serializes responses into a connection's output buffer (RFC 9112 §4 and §6).
enum ResponseWriter {
    /// What the `Connection` field of a response says.
    enum ConnectionOption {
        case none, close, keepAlive
    }

    /// Appends `response` to `output`. `includeBody` is false for HEAD: the headers still describe the GET body. A
    /// streamed response gets only its head here, announcing a chunked body when `isChunked`.
    static func write(
        _ response: Response, to output: inout [UInt8], requestID: String?, date: [UInt8],
        connection: ConnectionOption, includeBody: Bool, isChunked: Bool = false
    ) {
        output.appendLiteral("HTTP/1.1 ")
        output.appendDecimal(response.status.code)
        output.append(ASCII.space)
        output.append(contentsOf: response.status.reasonPhrase.utf8)
        output.appendLiteral("\r\nserver: api\r\ndate: ")
        output.append(contentsOf: date)
        if let contentType = response.contentType {
            output.appendLiteral("\r\ncontent-type: ")
            output.append(contentsOf: contentType.utf8)
        }
        if response.stream != nil {
            // RFC 9112 §6.3: chunked to an HTTP/1.1 client; an HTTP/1.0 one reads until the connection closes.
            if isChunked { output.appendLiteral("\r\ntransfer-encoding: chunked") }
        } else if !response.status.forbidsBody {
            output.appendLiteral("\r\ncontent-length: ")
            output.appendDecimal(response.body.count)
        }
        if let requestID {
            output.appendLiteral("\r\nx-request-id: ")
            output.append(contentsOf: requestID.utf8)
        }
        switch connection {
        case .none: break
        case .close: output.appendLiteral("\r\nconnection: close")
        case .keepAlive: output.appendLiteral("\r\nconnection: keep-alive")
        }
        for header in response.headers {
            output.appendLiteral("\r\n")
            output.append(contentsOf: header.name.utf8)
            output.appendLiteral(": ")
            output.append(contentsOf: header.value.utf8)
        }
        output.appendLiteral("\r\n\r\n")
        if includeBody && !response.status.forbidsBody && response.stream == nil { output.append(contentsOf: response.body) }
    }

    /// Appends one chunk of a chunked body (RFC 9112 §7.1): its size in hex, CRLF, the bytes, CRLF. An empty chunk
    /// would end the body, so it is skipped.
    static func writeChunk(_ bytes: [UInt8], to output: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        output.append(contentsOf: String(bytes.count, radix: 16).utf8)
        output.appendLiteral("\r\n")
        output.append(contentsOf: bytes)
        output.appendLiteral("\r\n")
    }

    /// The last chunk and the empty trailer section that end a chunked body.
    static func writeLastChunk(to output: inout [UInt8]) {
        output.appendLiteral("0\r\n\r\n")
    }
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of a literal without making a String.
    @inline(__always)
    mutating func appendLiteral(_ literal: StaticString) {
        literal.withUTF8Buffer { append(contentsOf: $0) }
    }

    /// Appends a non-negative integer in decimal.
    @inline(__always)
    mutating func appendDecimal(_ value: Int) {
        if value < 10 { append(UInt8(ascii: "0") + UInt8(value)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        Swift.withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
        }
    }
}
