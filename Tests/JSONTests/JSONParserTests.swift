import JSON
import Testing

/// A JSON text the parser must reject, and where and why.
struct Rejection: Sendable, CustomTestStringConvertible {
    var input: [UInt8]
    var reason: String
    var line: Int
    var column: Int

    init(_ text: String, _ reason: String, line: Int = 1, column: Int) {
        self.init(bytes: Array(text.utf8), reason, line: line, column: column)
    }

    init(bytes: [UInt8], _ reason: String, line: Int = 1, column: Int) {
        input = bytes
        self.reason = reason
        self.line = line
        self.column = column
    }

    var testDescription: String { "\(String(decoding: input, as: UTF8.self).debugDescription) -> \(reason)" }
}

/// The error `parse` throws for `input`, or `nil` if it accepts it.
func parseError(_ input: [UInt8], options: JSONParser.Options = .init()) -> JSONError? {
    do {
        _ = try JSONParser.parse(input, options: options)
        return nil
    } catch {
        return error
    }
}

func parseError(_ text: String, options: JSONParser.Options = .init()) -> JSONError? {
    parseError(Array(text.utf8), options: options)
}

@Suite struct JSONParserTests {
    @Test(arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("42", .integer(42)),
        ("\"\"", .string("")),
        ("[]", .array([])),
        ("{}", .object([:])),
        (" \t\r\n[ 1 , \"a\" ]\n ", .array([.integer(1), .string("a")])),
        ("{\"b\":1,\"a\":[null,{}]}", .object(["b": 1, "a": [nil, .object([:])]])),
        ("\"caf\u{E9} \u{1F44D}\u{1F3FD}\"", .string("caf\u{E9} \u{1F44D}\u{1F3FD}")),
    ])
    func parsesEveryKindOfValue(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    /// Canonical compact texts come back byte for byte from the writer.
    @Test(arguments: [
        "null", "true", "[]", "{}", "0", "-1", "9223372036854775807", "-9223372036854775808", "0.5", "-0.0", "1e+300",
        "[1,2.5,\"x\",true,false,null]",
        "{\"a\":[1,{\"b\":{}}],\"c\":\"d\",\"a\":2}",
        "\"tab\\there \\\"quoted\\\" back\\\\slash \\u0000\"",
        "[[[[[]]]],{\"\":\"\"}]",
    ])
    func compactTextRoundTripsExactly(text: String) throws {
        let value = try JSONParser.parse(text)
        #expect(value.jsonText == text)
    }

    @Test(arguments: [
        ("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\u{08}\u{0C}\n\r\t"),
        ("\"\\u0041\\u00e9\\u00E9\"", "A\u{E9}\u{E9}"),
        ("\"\\u2028\\u0000\"", "\u{2028}\u{0}"),
        ("\"\\uD83D\\uDC4D\"", "\u{1F44D}"),
        ("\"\\udbff\\udfff\"", "\u{10FFFF}"),
        ("\"a\\nb\u{E9}\\tc\"", "a\nb\u{E9}\tc"),
        ("\"\u{7F}\"", "\u{7F}"),
    ])
    func decodesEscapes(text: String, expected: String) throws {
        #expect(try JSONParser.parse(text) == .string(expected))
    }

    @Test(arguments: [
        ("0", JSONValue.integer(0)),
        ("-0", .integer(0)),
        ("9223372036854775807", .integer(.max)),
        ("-9223372036854775808", .integer(.min)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ("-9223372036854775809", .double(-9_223_372_036_854_775_808.0)),
        ("18446744073709551616", .double(18_446_744_073_709_551_616)),
        ("123456789012345678901234567890", .double(1.2345678901234568e29)),
        ("1.0", .double(1)),
        ("1e2", .double(100)),
        ("1E+2", .double(100)),
        ("1e-2", .double(0.01)),
        ("0.1", .double(0.1)),
        ("-12.5e-1", .double(-1.25)),
        // The largest subnormal, which once hung PHP and Java parsers.
        ("2.2250738585072011e-308", .double(Double(bitPattern: 0x000F_FFFF_FFFF_FFFF))),
        ("4.9406564584124654e-324", .double(.leastNonzeroMagnitude)),
        ("1.7976931348623157e308", .double(.greatestFiniteMagnitude)),
        ("1e-400", .double(0)),
    ])
    func parsesNumbersExactly(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test func negativeZeroFractionKeepsItsSign() throws {
        let value = try JSONParser.parse("-0.0")
        #expect(value.doubleValue?.sign == .minus)
    }

    @Test(arguments: [
        // Structure and end of input.
        Rejection("", "unexpected end of input", column: 1),
        Rejection("   ", "unexpected end of input", column: 4),
        Rejection("[1,", "unexpected end of input", column: 4),
        Rejection("{\"a\":", "unexpected end of input", column: 6),
        Rejection("\"abc", "unexpected end of input", column: 5),
        Rejection("tru", "unexpected end of input", column: 4),
        Rejection("[1,]", "trailing comma", column: 3),
        Rejection("{\"a\":1 , }", "trailing comma", column: 8),
        Rejection("[,1]", "expected value", column: 2),
        Rejection("[1 2]", "expected ',' or ']'", column: 4),
        Rejection("{\"a\" 1}", "expected ':'", column: 6),
        Rejection("{\"a\":1 \"b\":2}", "expected ',' or '}'", column: 8),
        Rejection("{1:2}", "expected key", column: 2),
        Rejection("{'a':1}", "expected key", column: 2),
        Rejection("1 2", "trailing characters", column: 3),
        Rejection("{}}", "trailing characters", column: 3),
        Rejection("trUe", "invalid literal", column: 1),
        Rejection("nulll", "trailing characters", column: 5),
        // Comments and other extensions.
        Rejection("// c\n1", "expected value", column: 1),
        Rejection("[1 /* c */]", "expected ',' or ']'", column: 4),
        Rejection("NaN", "expected value", column: 1),
        Rejection("Infinity", "expected value", column: 1),
        Rejection("-Infinity", "invalid number", column: 2),
        Rejection("'a'", "expected value", column: 1),
        // Whitespace is SP, HT, LF and CR only; a byte order mark is not whitespace either.
        Rejection("\u{0B}1", "expected value", column: 1),
        Rejection("\u{0C}1", "expected value", column: 1),
        Rejection("\u{A0}1", "expected value", column: 1),
        Rejection("\u{FEFF}1", "expected value", column: 1),
        // Numbers.
        Rejection("01", "leading zero in number", column: 1),
        Rejection("[-012]", "leading zero in number", column: 2),
        Rejection("+1", "expected value", column: 1),
        Rejection(".5", "expected value", column: 1),
        Rejection("-", "unexpected end of input", column: 2),
        Rejection("[-]", "invalid number", column: 3),
        Rejection("1.", "unexpected end of input", column: 3),
        Rejection("[1.]", "invalid number", column: 4),
        Rejection("[1.e5]", "invalid number", column: 4),
        Rejection("[1e]", "invalid number", column: 4),
        Rejection("[1e+]", "invalid number", column: 5),
        Rejection("0x10", "trailing characters", column: 2),
        Rejection("1e400", "number out of range", column: 1),
        Rejection("[0, -1e400]", "number out of range", column: 5),
        // Strings.
        Rejection("\"a\u{1}b\"", "control character in string", column: 3),
        Rejection("\"a\nb\"", "control character in string", column: 3),
        Rejection("\"\t\"", "control character in string", column: 2),
        Rejection("\"\\x\"", "invalid escape", column: 2),
        Rejection("\"\\U0041\"", "invalid escape", column: 2),
        Rejection("\"ab\\u12G4\"", "invalid escape", column: 4),
        Rejection("\"\\", "unexpected end of input", column: 3),
        Rejection("\"\\u12", "unexpected end of input", column: 6),
        Rejection("\"\\uD800\"", "lone surrogate", column: 2),
        Rejection("\"\\uDC00\\uD800\"", "lone surrogate", column: 2),
        Rejection("\"x\\uD83Dy\"", "lone surrogate", column: 3),
        Rejection("\"\\uD83D\\u0041\"", "lone surrogate", column: 2),
        Rejection("\"\\uD83D\\n\"", "lone surrogate", column: 2),
        Rejection("\"\\uD83D\\uZZZZ\"", "invalid escape", column: 8),
        // UTF-8 (Unicode Table 3-7): stray continuation, overlong, surrogate, too large, truncated.
        Rejection(bytes: [0x22, 0x80, 0x22], "invalid UTF-8", column: 2),
        Rejection(bytes: [0x22, 0x61, 0xC3, 0x28, 0x22], "invalid UTF-8", column: 3),
        Rejection(bytes: [0x22, 0xC0, 0x80, 0x22], "invalid UTF-8", column: 2),
        Rejection(bytes: [0x22, 0xC1, 0xBF, 0x22], "invalid UTF-8", column: 2),
        Rejection(bytes: [0x22, 0xE0, 0x9F, 0xBF, 0x22], "invalid UTF-8", column: 2),
        Rejection(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8", column: 2),
        Rejection(bytes: [0x22, 0xF0, 0x8F, 0xBF, 0xBF, 0x22], "invalid UTF-8", column: 2),
        Rejection(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8", column: 2),
        Rejection(bytes: [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], "invalid UTF-8", column: 2),
        Rejection(bytes: [0x22, 0xFF, 0x22], "invalid UTF-8", column: 2),
        Rejection(bytes: [0x22, 0xE2, 0x82], "invalid UTF-8", column: 2),
        Rejection(bytes: [0x22, 0xE2, 0x82, 0x22], "invalid UTF-8", column: 2),
        Rejection(bytes: [0xC3, 0xA9], "expected value", column: 1),
        // Lines end at LF; columns count Unicode scalars, not bytes.
        Rejection("{\n  \"a\": 1,\n  \"b\": ]\n}", "expected value", line: 3, column: 8),
        Rejection("[\r\n1,\r\n]", "trailing comma", line: 2, column: 2),
        Rejection("[\"\u{E9}\u{1F44D}\", x]", "expected value", column: 8),
        Rejection("\n\n", "unexpected end of input", line: 3, column: 1),
    ])
    func rejectsWithReasonAndPosition(rejection: Rejection) throws {
        let error = try #require(parseError(rejection.input))
        #expect(error.reason == rejection.reason)
        #expect(error.line == rejection.line)
        #expect(error.column == rejection.column)
        #expect(error.description == "\(rejection.reason) at line \(rejection.line) column \(rejection.column)")
    }

    /// Strings are scanned eight bytes at a time, so each special byte is tried at every offset of
    /// the first words; the error must still name its exact column.
    @Test func findsASpecialByteAtEveryOffset() throws {
        for length in 0 ... 17 {
            let plain = String(repeating: "a", count: length)
            #expect(try JSONParser.parse("\"\(plain)\\n\(plain)\"") == .string(plain + "\n" + plain))
            #expect(try JSONParser.parse("\"\(plain)\u{E9}\(plain)\"") == .string(plain + "\u{E9}" + plain))
            #expect(parseError("\"\(plain)\u{1}\(plain)\"")?.column == length + 2)
            #expect(parseError(Array("\"\(plain)".utf8) + [0xFF] + Array("\(plain)\"".utf8))?.column == length + 2)
            #expect(parseError("\"\(plain)")?.reason == "unexpected end of input")
        }
    }

    @Test func offsetCountsBytes() throws {
        let error = try #require(parseError("[\"\u{E9}\", x]"))
        #expect(error == JSONError(reason: "expected value", offset: 7, line: 1, column: 7))
    }

    @Test func stringAndByteEntryPointsAgree() throws {
        let text = "{\"k\":[1,\"\u{E9}\"]}"
        let fromString = try JSONParser.parse(text)
        let fromBytes = try JSONParser.parse(Array(text.utf8))
        let fromBuffer = try Array(text.utf8).withUnsafeBytes { try JSONParser.parse($0) }
        #expect(fromString == fromBytes)
        #expect(fromBytes == fromBuffer)
    }

    /// The scanner reads only the bytes it is given, so a slice of a larger buffer parses alone.
    @Test func parsesOnlyTheGivenSlice() throws {
        let bytes = Array("[1][2]".utf8)
        let value = try bytes.withUnsafeBytes { try JSONParser.parse(UnsafeRawBufferPointer(rebasing: $0[3...])) }
        #expect(value == [2])
    }

    // MARK: - Duplicate keys

    @Test func duplicateKeysAreKeptAndTheLastWinsByDefault() throws {
        let value = try JSONParser.parse("{\"sub\":1,\"x\":0,\"sub\":2}")
        #expect(value.objectValue?.keys == ["sub", "x", "sub"])
        #expect(value["sub"] == 2)
    }

    @Test(arguments: [
        Rejection("{\"sub\":1,\"sub\":2}", "duplicate key \"sub\"", column: 10),
        Rejection("[{\"a\":{\"b\":1,\n\"b\":2}}]", "duplicate key \"b\"", line: 2, column: 1),
        Rejection("{\"a\\nb\":1,\"a\\u000ab\":2}", "duplicate key \"a\\nb\"", column: 11),
    ])
    func duplicateKeysAreRejectedWhenAsked(rejection: Rejection) throws {
        let error = try #require(parseError(rejection.input, options: .init(rejectDuplicateKeys: true)))
        #expect(error.reason == rejection.reason)
        #expect(error.line == rejection.line)
        #expect(error.column == rejection.column)
    }

    @Test func sameKeyInDifferentObjectsIsNotADuplicate() throws {
        let options = JSONParser.Options(rejectDuplicateKeys: true)
        #expect(try JSONParser.parse("{\"a\":{\"a\":1},\"b\":[{\"a\":2},{\"a\":3}]}", options: options)["a"] == ["a": 1])
    }

    // MARK: - Depth

    @Test func acceptsNestingUpToTheLimit() throws {
        let arrays = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(parseError(arrays) == nil)
    }

    @Test func rejectsNestingBeyondTheLimitAtTheOpeningBracket() throws {
        let arrays = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(parseError(arrays) == JSONError(reason: "nesting deeper than 64", offset: 64, line: 1, column: 65))
    }

    @Test(arguments: [
        ("1", true), ("[]", true), ("{\"a\":[]}", true), ("[[1]]", true),
        ("[[[1]]]", false), ("{\"a\":{\"b\":[]}}", false), ("[{\"a\":{}}]", false),
    ])
    func depthCountsArraysAndObjectsAlike(text: String, isAccepted: Bool) throws {
        let error = parseError(text, options: .init(maxDepth: 2))
        #expect((error == nil) == isAccepted)
        if let error { #expect(error.reason == "nesting deeper than 2") }
    }

    /// A document far deeper than the limit fails fast instead of exhausting the stack.
    @Test func hostileNestingIsRejected() throws {
        let error = try #require(parseError(String(repeating: "[", count: 1_000_000)))
        #expect(error.offset == 64)
    }
}
