/// How responses are compressed and compressed requests read (`http.compression`).
public struct CompressionSettings: Sendable, Equatable {
    /// Whether responses are compressed (compressed requests are always read).
    public var isEnabled = true
    /// Smaller bodies go out as they are (FastAPI's GZipMiddleware: 500): the coding's overhead would outweigh it.
    public var minimumBytes = 500
    /// zlib's level: 1 fastest ... 9 smallest.
    public var level = 6

    /// The defaults above.
    public init() {}
}
