/// Decodes a `Transfer-Encoding: chunked` body incrementally (RFC 9112 §7.1), strictly.
///
/// Sizes are hex digits only (no `0x`, sign or spaces); the size line with its extensions is bounded;
/// chunk data must be followed by CRLF; trailer fields are read and dropped. Fed any split of the input,
/// it gives the same result.
public struct ChunkedDecoder: Sendable {
    private enum State: Sendable {
        case size(value: Int, digits: Int, lineLength: Int)
        case sizeWhitespace(value: Int, lineLength: Int)
        case extensions(value: Int, lineLength: Int)
        case sizeLineFeed(value: Int)
        case data(remaining: Int)
        case dataCarriageReturn
        case dataLineFeed
        case trailerLine(length: Int)
        case trailerLineFeed(emptyLine: Bool)
        case done
    }

    private var state = State.size(value: 0, digits: 0, lineLength: 0)
    private var bodySize = 0
    private var trailerSize = 0
    private let limits: ParserLimits

    /// A decoder that enforces `limits.maxChunkLine`, `maxBodySize` and `maxHeaderLine` (for trailers).
    public init(limits: ParserLimits) {
        self.limits = limits
    }

    /// `true` once the last chunk and the trailer section have been read.
    public var isComplete: Bool { if case .done = state { true } else { false } }

    /// Decodes from `input`, appending chunk data to `body`; returns how many bytes of `input` it used.
    public mutating func decode(_ input: UnsafeRawBufferPointer, into body: inout [UInt8]) throws(ParseError) -> Int {
        try read(input) { body.append(contentsOf: $0) }
    }

    /// Decodes from `input`, handing each run of chunk data to `body` in place (the HTTP client uses this,
    /// to count bytes without copying them); returns how many bytes of `input` it used.
    public mutating func read(_ input: UnsafeRawBufferPointer, body: (UnsafeRawBufferPointer) -> Void) throws(ParseError) -> Int {
        var index = 0
        while index < input.count {
            if case .data(let remaining) = state {
                let take = min(remaining, input.count - index)
                body(UnsafeRawBufferPointer(rebasing: input[index..<index + take]))
                index += take
                state = remaining == take ? .dataCarriageReturn : .data(remaining: remaining - take)
                continue
            }
            if case .done = state { break }
            try step(input[index])
            index += 1
        }
        return index
    }

    private mutating func step(_ byte: UInt8) throws(ParseError) {
        switch state {
        case .size(let value, let digits, let lineLength):
            try sizeByte(byte, value: value, digits: digits, lineLength: lineLength)
        case .sizeWhitespace(let value, let lineLength):
            // §7.1.1: only BWS may stand between the size and ";", so "5 x" is not an extension.
            guard lineLength < limits.maxChunkLine else { throw .bad("Chunk extension too long") }
            switch byte {
            case ASCII.space, ASCII.tab: state = .sizeWhitespace(value: value, lineLength: lineLength + 1)
            case UInt8(ascii: ";"): state = .extensions(value: value, lineLength: lineLength + 1)
            case ASCII.cr: state = .sizeLineFeed(value: value)
            default: throw .bad("Invalid chunk size")
            }
        case .extensions(let value, let lineLength):
            guard lineLength < limits.maxChunkLine else { throw .bad("Chunk extension too long") }
            if byte == ASCII.cr { state = .sizeLineFeed(value: value); return }
            guard ASCII.isFieldValue(byte) else { throw .bad("Invalid chunk extension") }
            state = .extensions(value: value, lineLength: lineLength + 1)
        case .sizeLineFeed(let value):
            guard byte == ASCII.lf else { throw .bad("Invalid chunk size line") }
            try startChunk(size: value)
        case .dataCarriageReturn:
            guard byte == ASCII.cr else { throw .bad("Chunk data longer than its size") }
            state = .dataLineFeed
        case .dataLineFeed:
            guard byte == ASCII.lf else { throw .bad("Chunk data longer than its size") }
            state = .size(value: 0, digits: 0, lineLength: 0)
        case .trailerLine(let length):
            try trailerByte(byte, length: length)
        case .trailerLineFeed(let emptyLine):
            guard byte == ASCII.lf else { throw .bad("Invalid trailer section") }
            state = emptyLine ? .done : .trailerLine(length: 0)
        case .data, .done:
            preconditionFailure("handled by decode(_:into:)")
        }
    }

    private mutating func sizeByte(_ byte: UInt8, value: Int, digits: Int, lineLength: Int) throws(ParseError) {
        if let digit = ASCII.hexValue(byte) {
            // 15 hex digits is far past any body limit and cannot overflow Int.
            guard digits < 15 else { throw .bad("Chunk size too large") }
            state = .size(value: value << 4 | Int(digit), digits: digits + 1, lineLength: lineLength + 1)
            return
        }
        guard digits > 0 else { throw .bad("Invalid chunk size") }
        switch byte {
        case ASCII.cr: state = .sizeLineFeed(value: value)
        case UInt8(ascii: ";"): state = .extensions(value: value, lineLength: lineLength + 1)
        case ASCII.space, ASCII.tab: state = .sizeWhitespace(value: value, lineLength: lineLength + 1)
        default: throw .bad("Invalid chunk size")
        }
    }

    private mutating func startChunk(size: Int) throws(ParseError) {
        if size == 0 { state = .trailerLine(length: 0); return }
        // Compared as a difference, so a client without a body limit (Int.max) cannot overflow.
        guard size <= limits.maxBodySize - bodySize else { throw ParseError(.contentTooLarge, "Request body too large") }
        bodySize += size
        state = .data(remaining: size)
    }

    private mutating func trailerByte(_ byte: UInt8, length: Int) throws(ParseError) {
        if byte == ASCII.cr { state = .trailerLineFeed(emptyLine: length == 0); return }
        guard ASCII.isFieldValue(byte) else { throw .bad("Invalid trailer field") }
        trailerSize += 1
        guard length < limits.maxHeaderLine, trailerSize <= limits.maxHeadSize else {
            throw ParseError(.headerFieldsTooLarge, "Trailer section too large")
        }
        state = .trailerLine(length: length + 1)
    }
}
