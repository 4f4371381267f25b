import Glibc

/// An incremental, strict HTTP/1.1 response parser for one response: the client side of `RequestParser`.
///
/// Feed it the bytes as they arrive. A head that arrives whole is parsed in the caller's buffer; only a head
/// split across reads is copied, into a buffer bounded by `maxHeadSize`. Body bytes are handed to the caller
/// in place. Interim 1xx responses are skipped (RFC 9110 §15.2). Make a new parser for each response.
public struct ResponseParser: Sendable {
    private enum State: Sendable {
        case head(scannedUpTo: Int)
        case fixed(remaining: Int)
        case chunked(ChunkedDecoder)
        case untilClose
        case complete
    }

    /// The head of the response, once it has been read.
    public private(set) var head: ResponseHead?
    private var state = State.head(scannedUpTo: 0)
    private var partialHead: [UInt8] = []
    private let answersHEAD: Bool
    private let maxHeadSize: Int

    /// Chunked response bodies are counted, never held, so their size is unbounded; lines keep their bounds.
    private static let chunkLimits: ParserLimits = {
        var limits = ParserLimits()
        limits.maxBodySize = .max
        limits.maxChunkLine = 8192
        limits.maxHeadSize = 65536
        return limits
    }()

    /// A parser for the response to one request; `answersHEAD` says the request was HEAD,
    /// whose response has no body whatever its headers say (RFC 9112 §6.3).
    public init(answersHEAD: Bool = false, maxHeadSize: Int = 65536) {
        self.answersHEAD = answersHEAD
        self.maxHeadSize = maxHeadSize
    }

    /// `true` once the whole response has been read.
    public var isComplete: Bool { if case .complete = state { true } else { false } }

    /// Reads from `input`, passing body bytes to `body`; returns how many bytes belong to this response,
    /// which is less than `input.count` only when the response ended before the input did.
    public mutating func parse(
        _ input: UnsafeRawBufferPointer, body: (UnsafeRawBufferPointer) -> Void = { _ in }
    ) throws(ResponseParseError) -> Int {
        var used = 0
        while used < input.count {
            let rest = UnsafeRawBufferPointer(rebasing: input[used...])
            switch state {
            case .head(let scannedUpTo):
                guard let taken = try readHead(rest, scannedUpTo: scannedUpTo) else { return input.count }
                used += taken
            case .fixed(let remaining):
                let take = min(remaining, rest.count)
                body(UnsafeRawBufferPointer(rebasing: rest[..<take]))
                used += take
                state = take == remaining ? .complete : .fixed(remaining: remaining - take)
            case .chunked(var decoder):
                do { used += try decoder.read(rest, body: body) } catch { throw ResponseParseError(error.reason) }
                state = decoder.isComplete ? .complete : .chunked(decoder)
            case .untilClose:
                body(rest)
                used = input.count
            case .complete:
                return used
            }
        }
        return used
    }

    /// Tells the parser the server closed the connection; returns whether that completed the response
    /// (only a close-delimited body ends this way, RFC 9112 §6.3 item 8).
    public mutating func finishAtClose() -> Bool {
        if case .untilClose = state { state = .complete }
        return isComplete
    }

    // MARK: - Head

    /// Consumes head bytes from `input`; returns how many, or nil when all of `input` was kept for a head still incomplete.
    private mutating func readHead(_ input: UnsafeRawBufferPointer, scannedUpTo: Int) throws(ResponseParseError) -> Int? {
        if partialHead.isEmpty {
            if let end = try Self.findEndOfHead(input, from: 0, maxHeadSize: maxHeadSize) {
                var reader = ResponseHeadReader(bytes: input, length: end)
                try startBody(reader.read())
                return end
            }
            partialHead.append(contentsOf: input)
            state = .head(scannedUpTo: Self.lastLineStart(input))
            return nil
        }
        let previous = partialHead.count
        partialHead.append(contentsOf: input)
        let maxHeadSize = maxHeadSize
        // Array.withUnsafeBytes throws untyped errors, so the typed one travels out as a Result.
        let found = partialHead.withUnsafeBytes { bytes in
            Result { () throws(ResponseParseError) -> (Int, ResponseHead)? in
                guard let end = try Self.findEndOfHead(bytes, from: scannedUpTo, maxHeadSize: maxHeadSize) else { return nil }
                var reader = ResponseHeadReader(bytes: bytes, length: end)
                return (end, try reader.read())
            }
        }
        guard let (end, head) = try found.get() else {
            state = .head(scannedUpTo: partialHead.withUnsafeBytes { Self.lastLineStart($0) })
            return nil
        }
        partialHead.removeAll()
        try startBody(head)
        return end - previous
    }

    private mutating func startBody(_ head: ResponseHead) throws(ResponseParseError) {
        var head = head
        if head.status == 101 { throw ResponseParseError("Unexpected 101 Switching Protocols") }
        if head.status < 200 {
            state = .head(scannedUpTo: 0)   // an interim response; the final one follows
            return
        }
        if answersHEAD || head.status == 204 || head.status == 304 {
            head.isChunked = false
            head.isCloseDelimited = false
            state = .complete
        } else if head.isChunked {
            state = .chunked(ChunkedDecoder(limits: Self.chunkLimits))
        } else if let length = head.contentLength {
            state = length == 0 ? .complete : .fixed(remaining: length)
        } else {
            head.isCloseDelimited = true
            state = .untilClose
        }
        self.head = head
    }

    /// The length of the head at the start of `bytes` (through its blank line), or nil if it has not all arrived.
    /// Every line must end in CRLF, so the head reader can rely on it.
    private static func findEndOfHead(_ bytes: UnsafeRawBufferPointer, from start: Int, maxHeadSize: Int) throws(ResponseParseError) -> Int? {
        var lineStart = start
        while lineStart < bytes.count {
            guard let found = memchr(bytes.baseAddress! + lineStart, Int32(ASCII.lf), bytes.count - lineStart) else { break }  // non-empty range
            let lineFeed = UnsafeRawPointer(found) - bytes.baseAddress!
            guard lineFeed > lineStart, bytes[lineFeed - 1] == ASCII.cr else { throw ResponseParseError("Bare LF line ending") }
            if lineFeed - lineStart == 1 {
                guard lineStart > 0 else { throw ResponseParseError("Empty line before the status line") }
                return lineFeed + 1
            }
            lineStart = lineFeed + 1
            if lineStart > maxHeadSize { throw ResponseParseError("Response head too large") }
        }
        if bytes.count > maxHeadSize { throw ResponseParseError("Response head too large") }
        return nil
    }

    /// Where the last, unfinished line of `bytes` starts: the next scan resumes there.
    private static func lastLineStart(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let lineFeed = bytes.lastIndex(of: ASCII.lf) else { return 0 }
        return lineFeed + 1
    }
}
