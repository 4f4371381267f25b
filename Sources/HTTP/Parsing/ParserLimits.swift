/// Bounds on what one request may make the server read and hold; every field has a safe non-zero default.
public struct ParserLimits: Sendable, Equatable {
    /// Longest request target; longer is 414.
    public var maxRequestTarget: Int = 8192
    /// Longest single header field line; longer is 431.
    public var maxHeaderLine: Int = 8192
    /// Largest head (request line and all fields); larger is 431.
    public var maxHeadSize: Int = 32768
    /// Most header fields; more is 431.
    public var maxHeaderCount: Int = 100
    /// Largest body, decided from Content-Length before reading it, or while decoding chunks; larger is 413.
    public var maxBodySize: Int = 1_048_576
    /// Longest chunk-size line with its extensions; longer is 400.
    public var maxChunkLine: Int = 1024
    /// Longest method token before the request line is refused with 501.
    public var maxMethodLength: Int = 32

    /// The defaults above.
    public init() {}
}
