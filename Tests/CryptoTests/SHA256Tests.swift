import Crypto
import Testing

/// SHA-256 against FIPS 180-4 / NIST CAVP vectors (the one-million-`a` message included) and
/// the padding-boundary digests, one-shot and streamed in awkward pieces.
struct SHA256Tests {
    static let vectors = try! DigestVector.load("sha256.json", "vectors")  // a missing file should fail loudly
        + DigestVector.load("sha256.json", "supplementary_padding_boundaries", "vectors")

    @Test(arguments: vectors)
    func oneShotMatchesPublishedDigest(vector: DigestVector) {
        #expect(SHA256.hash(vector.message) == vector.digest)
    }

    /// Feeding pieces of 1, 63, 64 and 65 bytes crosses every buffering path of `update`.
    @Test(arguments: vectors.filter { $0.message.count <= 1000 }, [1, 7, 63, 64, 65])
    func streamingMatchesPublishedDigest(vector: DigestVector, pieceSize: Int) {
        var hasher = SHA256()
        for start in stride(from: 0, to: vector.message.count, by: pieceSize) {
            hasher.update(vector.message[start..<min(start + pieceSize, vector.message.count)])
        }
        #expect(hasher.finalize() == vector.digest)
    }

    /// The million-`a` vector streamed in 1000 updates, as a file would be read.
    @Test func millionAStreamed() throws {
        let vector = try #require(Self.vectors.first { $0.id == "million_a" })
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(hasher.finalize() == vector.digest)
    }

    /// `finalize` leaves the hasher usable, so a running digest can be read mid-stream.
    @Test func finalizeDoesNotConsume() {
        var hasher = SHA256()
        hasher.update(Array("ab".utf8))
        #expect(hasher.finalize() == SHA256.hash(Array("ab".utf8)))
        hasher.update(Array("c".utf8))
        #expect(hasher.finalize() == SHA256.hash(Array("abc".utf8)))
    }
}
