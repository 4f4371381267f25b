/// The recursive-descent scanner behind ``JSONParser``: one pass over borrowed bytes.
///
/// Strings without escapes are made straight from the input; strings with escapes are assembled
/// in one scratch buffer reused for the whole document.
struct JSONScanner {
    private let input: UnsafeRawBufferPointer
    private let options: JSONParser.Options
    private var position = 0
    private var depth = 0
    private var scratch: [UInt8] = []

    init(input: UnsafeRawBufferPointer, options: JSONParser.Options) {
        self.input = input
        self.options = options
    }

    /// Parses the whole input as one value surrounded by optional whitespace (RFC 8259 §2).
    mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard position == input.count else { throw error("trailing characters", at: position) }
        return value
    }

    // MARK: - Values

    private mutating func parseValue() throws(JSONError) -> JSONValue {
        guard position < input.count else { throw unexpected("expected value") }
        switch input[position] {
        case .openBrace: return try parseObject()
        case .openBracket: return try parseArray()
        case .quote: return .string(try parseString())
        case .minus, .zero ... .nine: return try parseNumber()
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        default: throw error("expected value", at: position)
        }
    }

    private mutating func parseObject() throws(JSONError) -> JSONValue {
        try enterContainer()
        var members: [JSONMember] = []
        var seenKeys: Set<String>? = options.rejectDuplicateKeys ? [] : nil
        skipWhitespace()
        if consume(.closeBrace) {
            depth -= 1
            return .object(JSONObject(members))
        }
        while true {
            let keyStart = position
            guard position < input.count, input[position] == .quote else { throw unexpected("expected key") }
            let key = try parseString()
            if seenKeys?.insert(key).inserted == false {
                throw error("duplicate key \(jsonQuoted(key))", at: keyStart)
            }
            skipWhitespace()
            guard consume(.colon) else { throw unexpected("expected ':'") }
            skipWhitespace()
            members.append(JSONMember(key: key, value: try parseValue()))
            skipWhitespace()
            if consume(.closeBrace) { break }
            guard consume(.comma) else { throw unexpected("expected ',' or '}'") }
            try rejectTrailingComma(before: .closeBrace)
        }
        depth -= 1
        return .object(JSONObject(members))
    }

    private mutating func parseArray() throws(JSONError) -> JSONValue {
        try enterContainer()
        var elements: [JSONValue] = []
        skipWhitespace()
        if consume(.closeBracket) {
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            if consume(.closeBracket) { break }
            guard consume(.comma) else { throw unexpected("expected ',' or ']'") }
            try rejectTrailingComma(before: .closeBracket)
        }
        depth -= 1
        return .array(elements)
    }

    /// Consumes the opening bracket or brace, counting it against `maxDepth`.
    private mutating func enterContainer() throws(JSONError) {
        guard depth < options.maxDepth else { throw error("nesting deeper than \(options.maxDepth)", at: position) }
        depth += 1
        position += 1
    }

    /// Skips whitespace after a comma, naming the common mistake `[1,]` instead of "expected value".
    private mutating func rejectTrailingComma(before close: UInt8) throws(JSONError) {
        let comma = position - 1
        skipWhitespace()
        if position < input.count, input[position] == close { throw error("trailing comma", at: comma) }
    }

    private mutating func parseLiteral(_ word: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
        let start = position
        for expected in UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard position < input.count else { throw unexpected("invalid literal") }
            guard input[position] == expected else { throw error("invalid literal", at: start) }
            position += 1
        }
        return value
    }

    // MARK: - Strings

    /// Parses a string starting at its opening quote (RFC 8259 §7).
    private mutating func parseString() throws(JSONError) -> String {
        position += 1
        let start = position
        var segmentStart = start
        var hasEscapes = false
        while true {
            skipPlainASCII()
            guard position < input.count else { break }
            switch input[position] {
            case .quote:
                defer { position += 1 }
                guard hasEscapes else { return String(decoding: slice(start ..< position), as: UTF8.self) }
                scratch.append(contentsOf: slice(segmentStart ..< position))
                return String(decoding: scratch, as: UTF8.self)
            case .backslash:
                if !hasEscapes {
                    scratch.removeAll(keepingCapacity: true)
                    hasEscapes = true
                }
                scratch.append(contentsOf: slice(segmentStart ..< position))
                try parseEscape()
                segmentStart = position
            case ..<0x20:
                // RFC 8259 §7: "All Unicode characters may be placed within the quotation marks,
                // except for ... the control characters (U+0000 through U+001F)."
                throw error("control character in string", at: position)
            default:  // 0x80 and above, since plain ASCII was skipped
                guard let length = utf8SequenceLength(at: position) else { throw error("invalid UTF-8", at: position) }
                position += length
            }
        }
        throw error("unexpected end of input", at: input.count)
    }

    /// Advances past printable ASCII other than `"` and `\`, a word at a time where it can.
    private mutating func skipPlainASCII() {
        if let base = input.baseAddress {
            while position + 8 <= input.count {
                let word = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                if word.hasByteNeedingEscapeOrNonASCII { break }
                position += 8
            }
        }
        while position < input.count, input[position] >= 0x20, input[position] < 0x80,
              input[position] != .quote, input[position] != .backslash {
            position += 1
        }
    }

    /// Decodes the escape at `position` (a backslash) into `scratch`.
    private mutating func parseEscape() throws(JSONError) {
        let escapeStart = position
        guard position + 1 < input.count else { throw error("unexpected end of input", at: input.count) }
        let code = input[position + 1]
        position += 2
        switch code {
        case .quote, .backslash, .slash: scratch.append(code)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(.lineFeed)
        case UInt8(ascii: "r"): scratch.append(.carriageReturn)
        case UInt8(ascii: "t"): scratch.append(.tab)
        case UInt8(ascii: "u"):
            let scalar = try parseUnicodeEscape(escapeStart: escapeStart)
            UTF8.encode(scalar) { scratch.append($0) }
        default: throw error("invalid escape", at: escapeStart)
        }
    }

    /// Decodes the hex digits after `\u`, joining a surrogate pair into one scalar.
    ///
    /// RFC 8259 §7: a character outside the Basic Multilingual Plane "is represented as a
    /// 12-character sequence, encoding the UTF-16 surrogate pair"; §8.2 leaves lone surrogates
    /// undefined, and a Swift `String` cannot hold one, so they are rejected.
    private mutating func parseUnicodeEscape(escapeStart: Int) throws(JSONError) -> Unicode.Scalar {
        let first = try parseHexQuad(escapeStart: escapeStart)
        switch first {
        case 0xD800 ... 0xDBFF:
            let secondStart = position
            guard position + 1 < input.count, input[position] == .backslash, input[position + 1] == UInt8(ascii: "u") else {
                throw error("lone surrogate", at: escapeStart)
            }
            position += 2
            let second = try parseHexQuad(escapeStart: secondStart)
            guard (0xDC00 ... 0xDFFF).contains(second) else { throw error("lone surrogate", at: escapeStart) }
            let combined = 0x10000 + (first - 0xD800) << 10 + (second - 0xDC00)
            return Unicode.Scalar(combined)!  // 0x10000...0x10FFFF is never a surrogate, so always valid
        case 0xDC00 ... 0xDFFF:
            throw error("lone surrogate", at: escapeStart)
        default:
            return Unicode.Scalar(first)!  // a BMP code point outside the surrogate range is a scalar
        }
    }

    private mutating func parseHexQuad(escapeStart: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0 ..< 4 {
            guard position < input.count else { throw error("unexpected end of input", at: input.count) }
            guard let digit = hexDigitValue(input[position]) else { throw error("invalid escape", at: escapeStart) }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private func hexDigitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case .zero ... .nine: UInt32(byte - .zero)
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The length of the well-formed multi-byte UTF-8 sequence at `offset`, or `nil`.
    ///
    /// Follows Unicode's Table 3-7 ("Well-Formed UTF-8 Byte Sequences"), which rules out overlong
    /// forms, encoded surrogates and code points above U+10FFFF by narrowing the second byte's range.
    private func utf8SequenceLength(at offset: Int) -> Int? {
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80 ... 0xBF
        switch input[offset] {
        case 0xC2 ... 0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0 ... 0xBF
        case 0xE1 ... 0xEC, 0xEE ... 0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80 ... 0x9F
        case 0xF0: length = 4; secondRange = 0x90 ... 0xBF
        case 0xF1 ... 0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80 ... 0x8F
        default: return nil
        }
        guard offset + length <= input.count, secondRange.contains(input[offset + 1]) else { return nil }
        for continuation in offset + 2 ..< offset + length where input[continuation] & 0xC0 != 0x80 {
            return nil
        }
        return length
    }

    // MARK: - Numbers

    /// Parses `[ minus ] int [ frac ] [ exp ]` (RFC 8259 §6).
    private mutating func parseNumber() throws(JSONError) -> JSONValue {
        let start = position
        let isNegative = consume(.minus)
        let integerStart = position
        guard position < input.count, isDigit(input[position]) else { throw unexpected("invalid number") }
        // "int = zero / ( digit1-9 *DIGIT )": a zero can only stand alone.
        if input[position] == .zero, position + 1 < input.count, isDigit(input[position + 1]) {
            throw error("leading zero in number", at: start)
        }
        skipDigits()
        let integerEnd = position
        var isIntegral = true
        if consume(.period) {
            try requireDigits()
            isIntegral = false
        }
        if position < input.count, input[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < input.count, input[position] == .plus || input[position] == .minus { position += 1 }
            try requireDigits()
            isIntegral = false
        }
        if isIntegral, let value = integerValue(digits: integerStart ..< integerEnd, isNegative: isNegative) {
            return .integer(value)
        }
        return .double(try doubleValue(start))
    }

    private mutating func requireDigits() throws(JSONError) {
        guard position < input.count, isDigit(input[position]) else { throw unexpected("invalid number") }
        skipDigits()
    }

    private mutating func skipDigits() {
        while position < input.count, isDigit(input[position]) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- .zero < 10
    }

    /// The literal's exact value, or `nil` if it does not fit `Int64`.
    private func integerValue(digits: Range<Int>, isNegative: Bool) -> Int64? {
        var magnitude: UInt64 = 0
        for offset in digits {
            let (shifted, overflowed) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carried) = shifted.addingReportingOverflow(UInt64(input[offset] - .zero))
            if overflowed || carried { return nil }
            magnitude = sum
        }
        if isNegative {
            // Int64.min has no positive counterpart, so negate in two's complement.
            return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// Converts the already validated literal from `start` to `position`, correctly rounded.
    ///
    /// RFC 8259 §6 lets implementations limit range; a literal beyond `Double`'s would silently
    /// become infinity, which JSON cannot express, so it is rejected. Underflow rounds toward zero.
    private func doubleValue(_ start: Int) throws(JSONError) -> Double {
        // Swift's parser uses the C locale, so a process locale with a decimal comma cannot change the result.
        let text = String(decoding: slice(start ..< position), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw error("number out of range", at: start) }
        return value
    }

    // MARK: - Bytes and errors

    private mutating func skipWhitespace() {
        // RFC 8259 §2: "ws = *( %x20 / %x09 / %x0A / %x0D )", and nothing else.
        while position < input.count {
            switch input[position] {
            case .space, .tab, .lineFeed, .carriageReturn: position += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < input.count, input[position] == byte else { return false }
        position += 1
        return true
    }

    private func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: input[range])
    }

    /// `reason` at `position`, or "unexpected end of input" if the input ran out first.
    private func unexpected(_ reason: String) -> JSONError {
        position < input.count ? error(reason, at: position) : error("unexpected end of input", at: position)
    }

    /// Makes an error, working out line and column only now, because errors are rare.
    private func error(_ reason: String, at offset: Int) -> JSONError {
        var line = 1
        var lineStart = 0
        for index in 0 ..< offset where input[index] == .lineFeed {
            line += 1
            lineStart = index + 1
        }
        var column = 1
        for index in lineStart ..< offset where input[index] & 0xC0 != 0x80 {
            column += 1
        }
        return JSONError(reason: reason, offset: offset, line: line, column: column)
    }
}
