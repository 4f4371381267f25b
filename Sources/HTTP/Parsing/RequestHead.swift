/// One header field line as offsets into the head bytes; values are already trimmed of OWS.
public struct HeaderField: Sendable, Equatable {
    let nameStart: Int32
    let nameEnd: Int32
    let valueStart: Int32
    let valueEnd: Int32
}

/// A parsed request head: offsets into the caller's bytes plus the framing facts the connection needs.
public struct RequestHead: Sendable, Equatable {
    /// The request method.
    public var method: Method
    /// 0 for HTTP/1.0, 1 for HTTP/1.1 (and for any later 1.x, answered as 1.1 per RFC 9110 §6.2).
    public var minorVersion: Int
    /// The request target as sent.
    public var target: Range<Int>
    /// Every header field line, in order.
    public var fields: [HeaderField]
    /// Bytes from the start of the buffer through the blank line that ends the head.
    public var length: Int
    /// The Content-Length, if the request has one.
    public var contentLength: Int?
    /// `true` when the body is `Transfer-Encoding: chunked`.
    public var isChunked = false
    /// The client sent `Connection: close`.
    public var connectionClose = false
    /// The client sent `Connection: keep-alive` (meaningful for HTTP/1.0).
    public var connectionKeepAlive = false
    /// The client sent `Expect: 100-continue`.
    public var expectContinue = false
    /// The client sent an `Expect` other than 100-continue.
    public var hasUnknownExpectation = false

    /// Whether the connection stays open after this request when the server has no reason to close it.
    public var wantsKeepAlive: Bool {
        minorVersion >= 1 ? !connectionClose : connectionKeepAlive && !connectionClose
    }

    /// Whether a body follows the head.
    public var hasBody: Bool { isChunked || (contentLength ?? 0) > 0 }
}

/// The result of looking for a complete head.
public enum HeadParseResult: Equatable, Sendable {
    /// A whole head was found and parsed.
    case complete(RequestHead)
    /// More bytes are needed; pass `scannedUpTo` back in to skip the lines already checked.
    case incomplete(scannedUpTo: Int)
}
