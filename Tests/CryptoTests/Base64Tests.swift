import Crypto
import Testing

/// A row of base64url.json: raw bytes and both encodings.
struct Base64Vector: Sendable, CustomTestStringConvertible {
    let id: String
    let bytes: [UInt8]
    let padded: String
    let url: String
    var testDescription: String { id }

    static func load() throws -> [Base64Vector] {
        try VectorFile("base64url.json").objects(["vectors"]).map { vector in
            let bytes = vector["input_ascii"] != nil ? Array(try vector.string("input_ascii").utf8) : try vector.hex("input_hex")
            return Base64Vector(id: try vector.string("id"), bytes: bytes,
                                padded: try vector.string("base64"), url: try vector.string("base64url_nopad"))
        }
    }
}

/// RFC 4648 §10 vectors in both alphabets, and strict rejection of everything non-canonical.
struct Base64Tests {
    @Test(arguments: try Base64Vector.load())
    func standardRoundTrip(vector: Base64Vector) {
        #expect(Base64.encode(vector.bytes) == vector.padded)
        #expect(Base64.decode(vector.padded) == vector.bytes)
    }

    @Test(arguments: try Base64Vector.load())
    func urlRoundTrip(vector: Base64Vector) {
        #expect(Base64URL.encode(vector.bytes) == vector.url)
        #expect(Base64URL.decode(vector.url) == vector.bytes)
    }

    @Test(arguments: try VectorFile("base64url.json").objects(["invalid_base64url_for_jws"]).map { try $0.string("input") })
    func urlRejectsInvalid(input: String) {
        #expect(Base64URL.decode(input) == nil)
    }

    /// The allocation-free form `JWT` uses agrees with `decode(_:)` on every vector and every
    /// invalid input.
    @Test(arguments: try Base64Vector.load().map(\.url)
        + VectorFile("base64url.json").objects(["invalid_base64url_for_jws"]).map { try $0.string("input") })
    func urlDecodeIntoBufferAgrees(input: String) {
        let text = Array(input.utf8)
        let decoded = text.withUnsafeBytes { text in
            withUnsafeTemporaryAllocation(byteCount: text.count * 3 / 4, alignment: 1) { output in
                Base64URL.decode(text, into: output).map { Array(output[..<$0]) }
            }
        }
        #expect(decoded == Base64URL.decode(input))
    }

    @Test(arguments: ["Zg", "Zg=", "Zg===", "Zh==", "Zm9=", "Z===", "====", "Zm9v\n", " Zm9v", "Zm-v", "Zm_v", "Zg==Zg=="])
    func standardRejectsNonCanonical(input: String) {
        #expect(Base64.decode(input) == nil)
    }

    /// Every length from 0 to 100 round-trips, covering all three tail shapes many times over.
    @Test func everyLengthRoundTrips() {
        for length in 0...100 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
            #expect(Base64URL.encode(bytes).count == (length * 4 + 2) / 3)
        }
    }

    /// Substrings decode like strings (the HTTP layer hands over header slices).
    @Test func decodesSubstring() {
        let header = "key: dGhlIHNhbXBsZSBub25jZQ=="
        #expect(Base64.decode(header.dropFirst(5)) == Array("the sample nonce".utf8))
    }
}
