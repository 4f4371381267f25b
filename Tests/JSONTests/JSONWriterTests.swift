import JSON
import Testing

@Suite struct JSONWriterTests {
    /// Every control character is escaped: the short forms where RFC 8259 §7 has one, else `\u00XX`.
    @Test(arguments: 0 ..< 0x20)
    func escapesControlCharacters(code: Int) throws {
        let shortForms: [Int: String] = [0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"]
        let hex = String(code, radix: 16)
        let expected = shortForms[code] ?? "\\u00" + String(repeating: "0", count: 2 - hex.count) + hex
        let string = String(Character(Unicode.Scalar(UInt8(code))))
        #expect(jsonQuoted(string) == "\"\(expected)\"")
        #expect(try JSONParser.parse(jsonQuoted(string)) == .string(string))
    }

    @Test(arguments: [
        ("", "\"\""),
        ("plain", "\"plain\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("C:\\dir\\", "\"C:\\\\dir\\\\\""),
        ("/", "\"/\""),
        ("\u{7F}", "\"\u{7F}\""),
        ("caf\u{E9}", "\"caf\u{E9}\""),
        ("\u{1F44D}\u{1F3FD} ok", "\"\u{1F44D}\u{1F3FD} ok\""),
        ("\u{2028}\u{2029}", "\"\u{2028}\u{2029}\""),
        ("\u{FEFF}x", "\"\u{FEFF}x\""),
        ("a\"\n\u{E9}\\", "\"a\\\"\\n\u{E9}\\\\\""),
    ])
    func escapesOnlyWhatJSONRequires(string: String, expected: String) throws {
        #expect(jsonQuoted(string) == expected)
        #expect(try JSONParser.parse(jsonQuoted(string)) == .string(string))
    }

    /// Strings are scanned eight bytes at a time, so a byte needing an escape is tried at every
    /// offset of the first words, after both ASCII and multi-byte text.
    @Test(arguments: ["\"", "\\", "\u{0}", "\u{1F}", "\n"])
    func escapesASpecialByteAtEveryOffset(special: String) throws {
        for prefix in ["abcdefghijklmnopq", "\u{E9}\u{E9}\u{E9}\u{E9}\u{E9}\u{E9}\u{E9}\u{E9}\u{E9}"] {
            for length in 0 ... prefix.count {
                let string = String(prefix.prefix(length)) + special + "tail-of-it"
                let quoted = jsonQuoted(string)
                #expect(quoted.utf8.allSatisfy { $0 >= 0x20 })
                #expect(try JSONParser.parse(quoted) == .string(string), "\(quoted)")
            }
        }
    }

    @Test func integersOfEveryWidth() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.writeInteger(0)
        writer.writeInteger(Int8.min)
        writer.writeInteger(UInt16.max)
        writer.writeInteger(Int64.min)
        writer.writeInteger(Int64.max)
        writer.writeInteger(UInt64.max)
        writer.writeInteger(-Int128(UInt64.max) - 1)
        writer.endArray()
        #expect(String(decoding: writer.bytes, as: UTF8.self)
            == "[0,-128,65535,-9223372036854775808,9223372036854775807,18446744073709551615,-18446744073709551616]")
    }

    @Test(arguments: [
        (0.0, "0.0"), (-0.0, "-0.0"), (3.0, "3.0"), (0.1, "0.1"), (-2.5, "-2.5"), (1e16, "1e+16"), (1e-7, "1e-07"),
        (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"), (Double.leastNonzeroMagnitude, "5e-324"),
        (Double.nan, "null"), (Double.infinity, "null"), (-Double.infinity, "null"),
    ])
    func doublesUseShortestFormAndNullWhenNotFinite(value: Double, expected: String) {
        var writer = JSONWriter()
        writer.writeDouble(value)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }

    /// An integral double keeps its ".0" or exponent, so it reads back as a double, not an integer.
    @Test(arguments: [1.0, -5.0, 1e15, 1e16, 9_007_199_254_740_993.0, 1e300])
    func integralDoublesReadBackAsDoubles(value: Double) throws {
        #expect(try JSONParser.parse(JSONValue.double(value).serialized()) == .double(value))
    }

    @Test func placesCommasBetweenMembersAndElements() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("id"); writer.writeInteger(7)
        writer.key("name"); writer.writeString("Ada")
        writer.key("tags"); writer.beginArray(); writer.writeString("a"); writer.writeBool(true); writer.beginArray(); writer.endArray(); writer.endArray()
        writer.key("empty"); writer.beginObject(); writer.endObject()
        writer.key("raw"); writer.writeRaw("{\"status\":\"ok\"}")
        writer.key("none"); writer.writeNull()
        writer.key("ratio"); writer.writeDouble(0.5)
        writer.endObject()
        #expect(String(decoding: writer.bytes, as: UTF8.self)
            == "{\"id\":7,\"name\":\"Ada\",\"tags\":[\"a\",true,[]],\"empty\":{},\"raw\":{\"status\":\"ok\"},\"none\":null,\"ratio\":0.5}")
    }

    @Test func resetStartsAFreshDocument() {
        var writer = JSONWriter()
        writer.writeValue([1, 2])
        writer.reset()
        writer.writeInteger(3)
        #expect(writer.bytes == Array("3".utf8))
    }

    @Test func writeValueMatchesHandWrittenCalls() {
        let value: JSONValue = ["detail": [["type": "missing", "loc": ["body", "email"], "input": nil, "ok": false]]]
        #expect(value.jsonText == "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"email\"],\"input\":null,\"ok\":false}]}")
        #expect(value.serialized() == Array(value.jsonText.utf8))
    }

    @Test func prettyPrintsLikePythonsIndent() throws {
        let value: JSONValue = ["a": [1, 2.5], "b": ["c": nil, "d": [], "e": .object([:])], "f": "x"]
        let expected = """
            {
              "a": [
                1,
                2.5
              ],
              "b": {
                "c": null,
                "d": [],
                "e": {}
              },
              "f": "x"
            }
            """
        #expect(value.prettyPrinted() == expected)
        #expect(JSONValue.array([1, [2]]).prettyPrinted(indent: 4) == "[\n    1,\n    [\n        2\n    ]\n]")
        #expect(JSONValue.string("s").prettyPrinted() == "\"s\"")
        #expect(try JSONParser.parse(expected) == value)
    }

    /// Fixed-point numbers keep exactly the asked fraction digits and read back as the same number.
    @Test(arguments: [(783, 3, "0.783"), (1_000, 3, "1.000"), (12_345_678, 3, "12345.678"), (5, 3, "0.005"), (-42, 2, "-0.42"), (7, 0, "7")])
    func writesFixedPoint(units: Int, digits: Int, text: String) throws {
        var writer = JSONWriter()
        writer.beginArray()
        writer.writeFixedPoint(units, fractionDigits: digits)
        writer.writeInteger(1)
        writer.endArray()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[\(text),1]")
        #expect(try JSONParser.parse(writer.bytes).arrayValue?.first?.doubleValue == Double(text))
    }

    /// `endLine` separates documents (JSON Lines): no comma carries over to the next line.
    @Test func endLineStartsANewDocument() throws {
        var writer = JSONWriter()
        for index in 0..<2 {
            writer.beginObject()
            writer.key("n")
            writer.writeInteger(index)
            writer.endObject()
            writer.endLine()
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "{\"n\":0}\n{\"n\":1}\n")
    }

    /// A literal key writes the same bytes as the escaping `key(_:)`.
    @Test func literalKeyMatchesKey() {
        var literal = JSONWriter()
        literal.beginObject()
        literal.key(literal: "request_id")
        literal.writeInteger(1)
        literal.key(literal: "ts")
        literal.writeNull()
        literal.endObject()
        var escaped = JSONWriter()
        escaped.beginObject()
        escaped.key("request_id")
        escaped.writeInteger(1)
        escaped.key("ts")
        escaped.writeNull()
        escaped.endObject()
        #expect(literal.bytes == escaped.bytes)
    }
}
