/// What a client needs from a response head: the status and the facts that frame the body and decide keep-alive.
public struct ResponseHead: Equatable, Sendable {
    /// The three-digit status code.
    public var status: Int
    /// 0 for HTTP/1.0, 1 for HTTP/1.1 (any later 1.x is read as 1.1, RFC 9110 §6.2).
    public var minorVersion: Int
    /// Bytes of the head, status line through the blank line.
    public var length: Int
    /// The Content-Length, if the response has one.
    public var contentLength: Int?
    /// `true` when the body is `Transfer-Encoding: chunked`.
    public var isChunked = false
    /// `true` when a transfer coding other than a final `chunked` makes the body run until the server closes (RFC 9112 §6.3).
    public var isCloseDelimited = false
    /// The server sent `Connection: close`.
    public var connectionClose = false
    /// The server sent `Connection: keep-alive` (meaningful for HTTP/1.0).
    public var connectionKeepAlive = false

    /// Whether the connection may carry another request after this response.
    public var allowsReuse: Bool {
        if isCloseDelimited || connectionClose { return false }
        return minorVersion >= 1 || connectionKeepAlive
    }
}
