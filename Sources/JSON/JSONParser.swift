/// Strict RFC 8259 parsing into ``JSONValue``.
///
/// Rejects everything the grammar does not allow: trailing commas, comments, leading zeros,
/// `NaN`/`Infinity`, a leading `+`, raw control characters in strings, unknown escapes, lone
/// surrogates, invalid UTF-8, whitespace other than SP/HT/LF/CR, and anything after the value.
public enum JSONParser {
    /// Limits and policies for one parse.
    public struct Options: Sendable {
        /// Deepest nesting of arrays and objects accepted; `[[]]` has depth 2.
        ///
        /// The parser recurses once per level, so keep this modest on threads with small stacks.
        public var maxDepth: Int
        /// Rejects an object that names the same member twice (RFC 8259 §4 only says names
        /// "SHOULD be unique"). Use it wherever two readers could disagree about which one counts,
        /// such as JWT claims.
        public var rejectDuplicateKeys: Bool

        /// Makes options; the defaults suit request bodies.
        public init(maxDepth: Int = 64, rejectDuplicateKeys: Bool = false) {
            self.maxDepth = maxDepth
            self.rejectDuplicateKeys = rejectDuplicateKeys
        }
    }

    /// Parses one JSON text from `bytes`, which must be UTF-8.
    public static func parse(_ bytes: UnsafeRawBufferPointer, options: Options = .init()) throws(JSONError) -> JSONValue {
        try result(bytes, options: options).get()
    }

    /// Parses one JSON text from `bytes`, which must be UTF-8.
    public static func parse(_ bytes: [UInt8], options: Options = .init()) throws(JSONError) -> JSONValue {
        try bytes.withUnsafeBytes { result($0, options: options) }.get()
    }

    /// Parses one JSON text from `text`.
    public static func parse(_ text: String, options: Options = .init()) throws(JSONError) -> JSONValue {
        var text = text
        return try text.withUTF8 { result(UnsafeRawBufferPointer($0), options: options) }.get()
    }

    /// The parse as a value, because `withUnsafeBytes` and `withUTF8` only rethrow untyped errors.
    private static func result(_ bytes: UnsafeRawBufferPointer, options: Options) -> Result<JSONValue, JSONError> {
        var scanner = JSONScanner(input: bytes, options: options)
        return Result { () throws(JSONError) in try scanner.parseDocument() }
    }
}
