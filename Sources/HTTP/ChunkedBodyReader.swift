/// Frames a `Transfer-Encoding: chunked` response body incrementally (RFC 9112 §7.1), strictly, handing
/// the chunk data to the caller in place instead of copying it.
///
/// Sizes are hex digits only; the size line with its extensions is bounded; chunk data must be followed
/// by CRLF; trailer fields are read and dropped. Any split of the input gives the same result.
struct ChunkedBodyReader: Sendable {
    private enum State: Sendable {
        case size(value: Int, digits: Int, lineLength: Int)
        case extensions(value: Int, lineLength: Int)
        case sizeLineFeed(value: Int)
        case data(remaining: Int)
        case dataCarriageReturn
        case dataLineFeed
        case trailerLine(length: Int)
        case trailerLineFeed(emptyLine: Bool)
        case done
    }

    private static let maxLine = 8192
    private var state = State.size(value: 0, digits: 0, lineLength: 0)

    /// `true` once the last chunk and the trailer section have been read.
    var isComplete: Bool { if case .done = state { true } else { false } }

    /// Reads from `input`, passing each run of chunk data to `body`; returns how many bytes it used,
    /// which is less than `input.count` only when the body ended.
    mutating func read(_ input: UnsafeRawBufferPointer, body: (UnsafeRawBufferPointer) -> Void) throws(ResponseParseError) -> Int {
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

    private mutating func step(_ byte: UInt8) throws(ResponseParseError) {
        switch state {
        case .size(let value, let digits, let lineLength):
            try sizeByte(byte, value: value, digits: digits, lineLength: lineLength)
        case .extensions(let value, let lineLength):
            guard lineLength < Self.maxLine else { throw ResponseParseError("Chunk extension too long") }
            if byte == ASCII.cr { state = .sizeLineFeed(value: value); return }
            guard ASCII.isFieldValue(byte) else { throw ResponseParseError("Invalid chunk extension") }
            state = .extensions(value: value, lineLength: lineLength + 1)
        case .sizeLineFeed(let value):
            guard byte == ASCII.lf else { throw ResponseParseError("Invalid chunk size line") }
            state = value == 0 ? .trailerLine(length: 0) : .data(remaining: value)
        case .dataCarriageReturn:
            guard byte == ASCII.cr else { throw ResponseParseError("Chunk data longer than its size") }
            state = .dataLineFeed
        case .dataLineFeed:
            guard byte == ASCII.lf else { throw ResponseParseError("Chunk data longer than its size") }
            state = .size(value: 0, digits: 0, lineLength: 0)
        case .trailerLine(let length):
            try trailerByte(byte, length: length)
        case .trailerLineFeed(let emptyLine):
            guard byte == ASCII.lf else { throw ResponseParseError("Invalid trailer section") }
            state = emptyLine ? .done : .trailerLine(length: 0)
        case .data, .done:
            preconditionFailure("handled by read(_:body:)")
        }
    }

    private mutating func sizeByte(_ byte: UInt8, value: Int, digits: Int, lineLength: Int) throws(ResponseParseError) {
        if let digit = ASCII.hexValue(byte) {
            // 15 hex digits cannot overflow Int, and no real body comes near it.
            guard digits < 15 else { throw ResponseParseError("Chunk size too large") }
            state = .size(value: value << 4 | Int(digit), digits: digits + 1, lineLength: lineLength + 1)
            return
        }
        guard digits > 0 else { throw ResponseParseError("Invalid chunk size") }
        switch byte {
        case ASCII.cr: state = .sizeLineFeed(value: value)
        case UInt8(ascii: ";"), ASCII.space, ASCII.tab: state = .extensions(value: value, lineLength: lineLength + 1)
        default: throw ResponseParseError("Invalid chunk size")
        }
    }

    private mutating func trailerByte(_ byte: UInt8, length: Int) throws(ResponseParseError) {
        if byte == ASCII.cr { state = .trailerLineFeed(emptyLine: length == 0); return }
        guard ASCII.isFieldValue(byte) else { throw ResponseParseError("Invalid trailer field") }
        guard length < Self.maxLine else { throw ResponseParseError("Trailer field too long") }
        state = .trailerLine(length: length + 1)
    }
}
