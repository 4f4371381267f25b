import JSON
import Testing

/// Codable to and from JSON without Foundation: the stream encoder and the value decoder.
@Suite struct StreamEncoderTests {
    struct Address: Codable, Equatable {
        let city: String
        let zip: String?
    }

    struct User: Codable, Equatable {
        let id: Int64
        let name: String
        let ratio: Double
        let isAdmin: Bool
        let tags: [String]
        let address: Address?
        let nickname: String?
    }

    static let user = User(id: 7, name: "Ann \"A\" \u{1}é😀", ratio: 0.5, isAdmin: true, tags: ["a", "b"],
                           address: Address(city: "Oslo", zip: nil), nickname: nil)

    @Test func encodesMembersInOrderWithNullsForNil() throws {
        let text = String(decoding: try JSONStreamEncoder().encode(Self.user), as: UTF8.self)
        #expect(text == #"{"id":7,"name":"Ann \"A\" \u0001é😀","ratio":0.5,"isAdmin":true,"tags":["a","b"],"address":{"city":"Oslo","zip":null},"nickname":null}"#)
    }

    @Test func roundTripsThroughTheParserAndDecoder() throws {
        let bytes = try JSONStreamEncoder().encode(Self.user)
        let decoded = try JSONValueDecoder().decode(User.self, from: JSONParser.parse(bytes))
        #expect(decoded == Self.user)
    }

    @Test func encodesNestedArraysAndTopLevelScalars() throws {
        #expect(String(decoding: try JSONStreamEncoder().encode([[1, 2], [], [3]]), as: UTF8.self) == "[[1,2],[],[3]]")
        #expect(String(decoding: try JSONStreamEncoder().encode("x"), as: UTF8.self) == #""x""#)
        #expect(String(decoding: try JSONStreamEncoder().encode([Address(city: "a", zip: "1")]), as: UTF8.self)
                == #"[{"city":"a","zip":"1"}]"#)
    }

    @Test func decodingReportsTheMissingKey() throws {
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Address.self, from: JSONParser.parse(#"{"zip":"1"}"#))
        }
    }
}
