import Crypto
import Testing

/// SHA-1 against FIPS 180-2 Appendix A and the RFC 6455 accept-key example.
struct SHA1Tests {
    @Test(arguments: try DigestVector.load("sha256.json", "sha1_for_websocket", "vectors"))
    func matchesPublishedDigest(vector: DigestVector) {
        #expect(SHA1.hash(vector.message) == vector.digest)
    }

    /// RFC 6455 §1.3: accept = base64(SHA-1(key + GUID)).
    @Test func websocketAcceptKey() throws {
        let file = try VectorFile("websocket.json")
        let guid = try #require(file.root["guid"] as? String)
        for example in try file.objects(["handshake_accept"]) {
            let key = try example.string("sec_websocket_key")
            let digest = SHA1.hash((key + guid).utf8)
            #expect(digest == (try example.hex("sha1_hex")))
            #expect(Base64.encode(digest) == (try example.string("sec_websocket_accept")))
            #expect(Base64.decode(key) == Array(try example.string("key_decoded_ascii").utf8))
        }
    }

    /// A non-contiguous sequence takes the copying path and must agree with the array path.
    @Test func lazySequenceMatchesArray() {
        let bytes = (0..<200).map { UInt8($0) }
        #expect(SHA1.hash(bytes.lazy.map { $0 }) == SHA1.hash(bytes))
    }
}
