/// Appends UTF-8 JSON to a byte buffer it owns, placing the commas itself.
///
/// Write values in document order; containers are bracketed by `begin…`/`end…`, and each object
/// member is a ``key(_:)`` followed by one value:
/// ```swift
/// var writer = JSONWriter()
/// writer.beginObject()
/// writer.key("id"); writer.writeInteger(user.id)
/// writer.key("tags"); writer.beginArray(); writer.writeString("admin"); writer.endArray()
/// writer.endObject()
/// ```
/// The writer does not check that calls nest properly; that is the caller's job, and checking it
/// would cost every response.
public struct JSONWriter: Sendable {
    /// The JSON written so far.
    public var bytes: [UInt8]
    /// Whether the next key or value needs a comma first: true after a complete value, false at the
    /// start, after an opening bracket and after a key.
    var needsComma = false

    /// Makes an empty writer whose buffer has room for `capacity` bytes before it grows.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer, keeping its capacity, to write another document.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    // MARK: - Containers

    /// Writes `{`.
    public mutating func beginObject() {
        startValue()
        bytes.append(.openBrace)
        needsComma = false
    }

    /// Writes the name of the next object member and its colon.
    public mutating func key(_ name: String) {
        startValue()
        appendQuoted(name)
        bytes.append(.colon)
        needsComma = false
    }

    /// Writes the name of the next member from a literal that needs no escaping, in one copy: for the fixed
    /// field names of hot-path documents (log lines), where scanning each name for escapes would be waste.
    public mutating func key(literal name: StaticString) {
        assert(name.withUTF8Buffer { $0.allSatisfy { $0 >= 0x20 && $0 != .quote && $0 != .backslash } }, "key needs escaping")
        startValue()
        bytes.append(.quote)
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(.quote)
        bytes.append(.colon)
        needsComma = false
    }

    /// Writes `}`.
    public mutating func endObject() {
        bytes.append(.closeBrace)
        needsComma = true
    }

    /// Writes `[`.
    public mutating func beginArray() {
        startValue()
        bytes.append(.openBracket)
        needsComma = false
    }

    /// Writes `]`.
    public mutating func endArray() {
        bytes.append(.closeBracket)
        needsComma = true
    }

    // MARK: - Values

    /// Writes `string` quoted, escaping only what RFC 8259 §7 requires: `"`, `\` and U+0000...U+001F.
    ///
    /// Everything else, including U+2028 and U+2029, passes through as UTF-8, which is valid JSON.
    public mutating func writeString(_ string: String) {
        startValue()
        appendQuoted(string)
    }

    /// Writes `value` in decimal.
    @inlinable
    public mutating func writeInteger(_ value: some BinaryInteger) {
        if let value = Int64(exactly: value) {
            writeInt64(value)
        } else {
            writeNumberText(value.description)
        }
    }

    /// Writes the shortest text that reads back as `value`, or `null` if it is not finite,
    /// because RFC 8259 §6 has no NaN or infinity.
    public mutating func writeDouble(_ value: Double) {
        guard value.isFinite else { return writeNull() }
        // Swift's description always keeps a "." or an exponent, so the value reads back as a double.
        writeNumberText(value.description)
    }

    /// Writes `true` or `false`.
    public mutating func writeBool(_ value: Bool) {
        value ? writeRaw("true") : writeRaw("false")
    }

    /// Writes `null`.
    public mutating func writeNull() {
        writeRaw("null")
    }

    /// Writes `json`, which must be one complete, valid JSON value, such as a constant response body.
    public mutating func writeRaw(_ json: StaticString) {
        startValue()
        json.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Writes `units / 10^fractionDigits` as a decimal number with exactly `fractionDigits` digits after the
    /// point (`writeFixedPoint(783, fractionDigits: 3)` writes `0.783`), without the cost of formatting a Double.
    /// `fractionDigits` is 0 to 18.
    public mutating func writeFixedPoint(_ units: Int, fractionDigits: Int) {
        startValue()
        if units < 0 { bytes.append(.minus) }
        appendWritten(JSONText.maximumFixedPointByteCount) {
            JSONText.writeFixedPoint(units.magnitude, fractionDigits: fractionDigits, to: $0)
        }
    }

    /// Ends the current document with a newline, so the next value starts a new one (JSON Lines).
    public mutating func endLine() {
        bytes.append(.lineFeed)
        needsComma = false
    }

    /// Writes `value` compactly, with no whitespace.
    public mutating func writeValue(_ value: JSONValue) {
        switch value {
        case .null: writeNull()
        case .bool(let value): writeBool(value)
        case .integer(let value): writeInt64(value)
        case .double(let value): writeDouble(value)
        case .string(let value): writeString(value)
        case .array(let elements):
            beginArray()
            for element in elements { writeValue(element) }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members {
                key(member.key)
                writeValue(member.value)
            }
            endObject()
        }
    }

    // MARK: - Not public

    /// Writes the comma the previous value needs, and marks this one as needing one after it.
    private mutating func startValue() {
        if needsComma { bytes.append(.comma) }
        needsComma = true
    }

    @usableFromInline mutating func writeInt64(_ value: Int64) {
        startValue()
        if value < 0 { bytes.append(.minus) }
        appendWritten(20) { JSONText.writeDecimal(value.magnitude, to: $0) }
    }

    /// Appends what `write` puts in a scratch buffer of `maximum` bytes (on the stack).
    private mutating func appendWritten(_ maximum: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximum) { scratch in
            let count = write(scratch.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<count]))
        }
    }

    @usableFromInline mutating func writeNumberText(_ text: String) {
        startValue()
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func appendQuoted(_ string: String) {
        bytes.append(.quote)
        // Native strings are always contiguous; only a bridged or lazily built one takes the copy.
        if string.utf8.withContiguousStorageIfAvailable({ appendEscaped($0) }) == nil {
            var copy = string
            copy.withUTF8 { appendEscaped($0) }
        }
        bytes.append(.quote)
    }

    /// Copies `utf8` in runs, interrupting a run only for a byte that must be escaped.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        while true {
            let index = JSONText.firstByteNeedingEscape(in: utf8, from: runStart)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart ..< index]))
            guard index < utf8.count else { return }
            appendWritten(JSONText.maximumEscapeExpansion) { JSONText.writeEscape(for: utf8[index], to: $0) }
            runStart = index + 1
        }
    }
}
