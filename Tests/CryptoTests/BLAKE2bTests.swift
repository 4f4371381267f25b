import Crypto
import Testing

/// A row of blake2b.json.
struct BLAKE2bVector: Sendable, CustomTestStringConvertible {
    let name: String
    let input: [UInt8]
    let key: [UInt8]
    let digest: [UInt8]
    var testDescription: String { name }

    static func load() throws -> [BLAKE2bVector] {
        try VectorFile("blake2b.json").objects(["vectors"]).map {
            BLAKE2bVector(name: try $0.string("name"), input: try $0.hex("input_hex"), key: try $0.hex("key_hex"),
                          digest: try $0.hex("digest_hex"))
        }
    }
}

/// BLAKE2b against RFC 7693 Appendix A, the reference KAT entries and the other digest sizes.
struct BLAKE2bTests {
    @Test(arguments: try BLAKE2bVector.load())
    func oneShotMatchesVector(vector: BLAKE2bVector) {
        #expect(BLAKE2b.hash(vector.input, byteCount: vector.digest.count, key: vector.key) == vector.digest)
    }

    /// Pieces of 1, 127, 128 and 129 bytes cross every path of the held-back last block.
    @Test(arguments: try BLAKE2bVector.load(), [1, 127, 128, 129])
    func streamingMatchesVector(vector: BLAKE2bVector, pieceSize: Int) {
        var hasher = BLAKE2b(byteCount: vector.digest.count, key: vector.key)
        for start in stride(from: 0, to: vector.input.count, by: pieceSize) {
            hasher.update(vector.input[start..<min(start + pieceSize, vector.input.count)])
        }
        #expect(hasher.finalize() == vector.digest)
    }
}
