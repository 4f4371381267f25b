import JSON
import Testing

@Suite struct JSONLineBufferTests {
    /// Strings come out exactly as `JSONWriter` quotes them: every control character, quotes and backslashes
    /// at every offset of the eight-byte copy (with a tail after them, and last, in the overlapping final word),
    /// plain strings of every length around a word, non-ASCII text passed through.
    @Test func quotesLikeTheWriter() throws {
        var strings = (0..<0x20).map { String(Character(Unicode.Scalar(UInt8($0)))) }
        strings += ["", "plain", "say \"hi\"", "C:\\dir\\", "caf\u{E9}", "\u{1F44D}\u{1F3FD} ok", "\u{2028}\u{2029}", "/users/{user_id}"]
        for special in ["\"", "\\", "\u{0}", "\n"] {
            for length in 0...17 {
                strings.append(String("abcdefghijklmnopq".prefix(length)) + special + "tail-of-it")
                strings.append(String("abcdefghijklmnopq".prefix(length)) + special)
            }
        }
        strings += (0...17).map { String("abcdefghijklmnopq".prefix($0)) }
        for string in strings {
            var line = JSONLineBuffer(capacity: 0)
            line.reserve(JSONLineBuffer.quotedByteCountBound(string))
            line.appendQuoted(string)
            #expect(text(line) == jsonQuoted(string))
            #expect(try line.withBytes { try JSONParser.parse(Array($0)) } == .string(string))
        }
    }

    @Test(arguments: [0, 7, 9, 10, 99, 100, 999, 1_000, 12_345, -1, -999, 1_000_000, Int.max, Int.min])
    func writesIntegers(value: Int) {
        var line = JSONLineBuffer(capacity: 0)
        line.reserve(JSONLineBuffer.numberByteCountBound)
        line.appendInteger(value)
        #expect(text(line) == String(value))
    }

    /// The same fixed-point text as `JSONWriter.writeFixedPoint`.
    @Test(arguments: [(783, 3, "0.783"), (1_000, 3, "1.000"), (12_345_678, 3, "12345.678"), (5, 3, "0.005"), (-42, 2, "-0.42"), (7, 0, "7"),
                            (0, 3, "0.000"), (10, 1, "1.0"), (Int.max, 18, "9.223372036854775807"), (Int.min, 0, "-9223372036854775808")])
    func writesFixedPoint(units: Int, digits: Int, expected: String) {
        var line = JSONLineBuffer(capacity: 0)
        line.reserve(JSONLineBuffer.numberByteCountBound)
        line.appendFixedPoint(units, fractionDigits: digits)
        #expect(text(line) == expected)
    }

    /// Bytes made once (the access log's fixed fields) go in as they are; none is nothing.
    @Test func appendsKeptBytes() {
        var line = JSONLineBuffer(capacity: 0)
        line.reserve(32)
        for piece in [Array(#","route":"#.utf8), [], Array("null".utf8)] {
            piece.withUnsafeBufferPointer { line.append($0) }
        }
        #expect(text(line) == #","route":null"#)
    }

    /// Reserving past the capacity grows the buffer and keeps what was written; `removeAll` starts over.
    @Test func growsAndEmpties() {
        var line = JSONLineBuffer(capacity: 64)
        let long = String(repeating: "x", count: 10_000)
        for _ in 0..<3 {
            line.reserve(8 + JSONLineBuffer.quotedByteCountBound(long))
            line.append(#"{"a":"#)
            line.appendQuoted(long)
            line.append("}\n")
        }
        let expected = String(repeating: #"{"a":"\#(long)"}"# + "\n", count: 3)
        #expect(text(line) == expected)
        line.removeAll()
        #expect(line.count == 0)
        line.reserve(2)
        line.append("{}")
        #expect(text(line) == "{}")
    }

    private func text(_ line: borrowing JSONLineBuffer) -> String {
        line.withBytes { String(decoding: $0, as: UTF8.self) }
    }
}
