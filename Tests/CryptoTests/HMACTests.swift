import Crypto
import Testing

/// A row of hmac_sha256.json.
struct HMACVector: Sendable, CustomTestStringConvertible {
    let id: String
    let key: [UInt8]
    let data: [UInt8]
    let mac: [UInt8]
    var testDescription: String { id }

    static func load() throws -> [HMACVector] {
        try VectorFile("hmac_sha256.json").objects(["vectors"]).map {
            HMACVector(id: try $0.string("id"), key: try $0.hex("key_hex"), data: try $0.hex("data_hex"), mac: try $0.hex("mac_hex"))
        }
    }
}

/// HMAC-SHA256 against RFC 4231 §4.2-4.8 (test case 5 is published truncated to 128 bits).
struct HMACTests {
    @Test(arguments: try HMACVector.load())
    func matchesRFC4231(vector: HMACVector) {
        let mac = HMAC.authenticationCode(for: vector.data, key: vector.key)
        #expect(mac.count == 32)
        #expect(Array(mac.prefix(vector.mac.count)) == vector.mac)
    }

    @Test(arguments: try HMACVector.load().filter { $0.mac.count == 32 })
    func validatesOwnCodeOnly(vector: HMACVector) {
        let hmac = HMAC(key: vector.key)
        #expect(hmac.isValidAuthenticationCode(vector.mac, for: vector.data))
        var flipped = vector.mac
        flipped[31] ^= 1
        #expect(!hmac.isValidAuthenticationCode(flipped, for: vector.data))
        #expect(!hmac.isValidAuthenticationCode(vector.mac.prefix(16), for: vector.data))
    }

    /// A prefixed HMAC gives the RFC's code for the rest of the message, wherever the message is split: inside the
    /// first block, at a block's end (the JWT header case), and past it (RFC 4231's longest data are 152 bytes).
    @Test(arguments: try HMACVector.load())
    func prefixedMatchesRFC4231AtEverySplit(vector: HMACVector) {
        let hmac = HMAC(key: vector.key)
        for split in Set([0, 1, 20, 63, 64, 65, 128, vector.data.count].filter { $0 <= vector.data.count }) {
            let mac = hmac.prefixed(with: vector.data[..<split]).authenticationCode(for: vector.data[split...])
            #expect(Array(mac.prefix(vector.mac.count)) == vector.mac, "split at \(split)")
        }
    }
}

/// The comparison used for every secret.
struct ConstantTimeEqualsTests {
    @Test func comparesContentAndLength() {
        #expect(constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(constantTimeEquals([UInt8](), [UInt8]()))
        #expect(constantTimeEquals([9, 1, 2, 3].dropFirst(), [1, 2, 3]))
    }
}

/// getentropy-backed randomness: right length, and not a constant.
struct SecureRandomTests {
    @Test func producesDistinctBytes() {
        #expect(SecureRandom.bytes(count: 0).isEmpty)
        let first = SecureRandom.bytes(count: 1000), second = SecureRandom.bytes(count: 1000)
        #expect(first.count == 1000)
        #expect(first != second)
        #expect(Set(first).count > 200)  // 1000 uniform bytes miss more than 56 values with negligible probability
    }
}
