@testable import Crypto
import Testing

/// A row of argon2id.json.
struct Argon2Vector: Sendable, CustomTestStringConvertible {
    let name: String
    let variant: Argon2.Variant
    let parameters: Argon2.Parameters
    let password: [UInt8]
    let salt: [UInt8]
    let secret: [UInt8]
    let associatedData: [UInt8]
    let tag: [UInt8]
    let initialHash: [UInt8]?
    let encoded: String?
    var testDescription: String { name }

    static func load() throws -> [Argon2Vector] {
        try VectorFile("argon2id.json").objects(["vectors"]).map { v in
            let variant = try #require(Argon2.Variant.allCases.first { $0.name == (try v.string("type")) })
            let parameters = Argon2.Parameters(
                memoryKiB: UInt32(try v.int("memory_kib")), iterations: UInt32(try v.int("passes")),
                parallelism: UInt32(try v.int("lanes")), tagByteCount: try v.int("tag_length"))
            return Argon2Vector(
                name: try v.string("name"), variant: variant, parameters: parameters, password: try v.hex("password_hex"),
                salt: try v.hex("salt_hex"), secret: try v.hex("secret_hex"), associatedData: try v.hex("ad_hex"),
                tag: try v.hex("tag_hex"), initialHash: v["prehash_h0_hex"] == nil ? nil : try v.hex("prehash_h0_hex"),
                encoded: v["encoded"] as? String)
        }
    }

    static let all = try! load()  // a missing or malformed file should fail loudly
}

/// Argon2 against RFC 9106 §5 (all three variants, with H0), the libargon2-made vectors and
/// their PHC strings, and the H' vectors of §3.3.
struct Argon2Tests {
    @Test(arguments: Argon2Vector.all)
    func tagMatchesVector(vector: Argon2Vector) throws {
        let tag = try Argon2.hash(password: vector.password, salt: vector.salt, parameters: vector.parameters,
                                  variant: vector.variant, secret: vector.secret, associatedData: vector.associatedData)
        #expect(tag == vector.tag)
    }

    @Test(arguments: Argon2Vector.all.filter { $0.initialHash != nil })
    func initialHashMatchesRFC(vector: Argon2Vector) {
        let h0 = Argon2.initialHash(password: vector.password, salt: vector.salt, secret: vector.secret,
                                    associatedData: vector.associatedData, parameters: vector.parameters, variant: vector.variant)
        #expect(h0 == vector.initialHash)
    }

    @Test(arguments: try VectorFile("argon2id.json").objects(["hprime_vectors"]).map {
        HPrimeVector(input: try $0.hex("input_hex"), byteCount: try $0.int("tag_length"), output: try $0.hex("output_hex"))
    })
    func variableLengthHashMatchesVector(vector: HPrimeVector) {
        #expect(Argon2.variableLengthHash(vector.input, byteCount: vector.byteCount) == vector.output)
    }

    @Test(arguments: [
        (Argon2.Parameters(memoryKiB: 8, iterations: 1, parallelism: 2), 16),
        (Argon2.Parameters(memoryKiB: 8, iterations: 0), 16),
        (Argon2.Parameters(memoryKiB: 8, iterations: 1, parallelism: 0), 16),
        (Argon2.Parameters(memoryKiB: 8, iterations: 1, tagByteCount: 3), 16),
        (Argon2.Parameters(memoryKiB: 8, iterations: 1), 7),
    ])
    func rejectsParametersOutsideRFC(parameters: Argon2.Parameters, saltCount: Int) {
        #expect(throws: Argon2Error.self) {
            try Argon2.hash(password: [1], salt: [UInt8](repeating: 0, count: saltCount), parameters: parameters)
        }
    }
}

/// One H' (RFC 9106 §3.3) vector.
struct HPrimeVector: Sendable, CustomTestStringConvertible {
    let input: [UInt8]
    let byteCount: Int
    let output: [UInt8]
    var testDescription: String { "T=\(byteCount)" }
}

/// PHC strings: libargon2's encodings parse to the vector's parameters and re-encode byte for byte.
struct PHCStringTests {
    @Test(arguments: Argon2Vector.all.filter { $0.encoded != nil })
    func roundTripsLibargon2Encoding(vector: Argon2Vector) throws {
        let encoded = try #require(vector.encoded)
        let phc = try #require(PHCString(encoded))
        #expect(phc.variant == vector.variant)
        #expect(phc.parameters == vector.parameters)
        #expect(phc.salt == vector.salt)
        #expect(phc.tag == vector.tag)
        #expect(phc.description == encoded)
    }

    @Test(arguments: [
        "", "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ$",                          // empty tag
        "$argon2id$m=64,t=2,p=1$c29tZXNhbHRTT01FU0FMVA$LezjIqvX8yWZ2Wpo36325Q",   // no version (0x10)
        "$argon2id$v=16$m=64,t=2,p=1$c29tZXNhbHRTT01FU0FMVA$LezjIqvX8yWZ2Wpo36325Q",
        "$argon2x$v=19$m=64,t=2,p=1$c29tZXNhbHRTT01FU0FMVA$LezjIqvX8yWZ2Wpo36325Q",
        "$argon2id$v=19$t=2,m=64,p=1$c29tZXNhbHRTT01FU0FMVA$LezjIqvX8yWZ2Wpo36325Q",  // order
        "$argon2id$v=19$m=064,t=2,p=1$c29tZXNhbHRTT01FU0FMVA$LezjIqvX8yWZ2Wpo36325Q", // leading zero
        "$argon2id$v=19$m=64,t=2,p=1,k=1$c29tZXNhbHRTT01FU0FMVA$LezjIqvX8yWZ2Wpo36325Q",
        "$argon2id$v=19$m=4294967296,t=2,p=1$c29tZXNhbHRTT01FU0FMVA$LezjIqvX8yWZ2Wpo36325Q",
        "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRTT01FU0FMVA==$LezjIqvX8yWZ2Wpo36325Q", // padding
        "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRTT01FU0FMVB$LezjIqvX8yWZ2Wpo36325Q",   // non-canonical
        "$argon2id$v=19$m=64,t=2,p=1$c2FsdA$LezjIqvX8yWZ2Wpo36325Q",                   // 4-byte salt
        "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRTT01FU0FMVA$LezjIqvX8yWZ2Wpo36325Q$",
    ])
    func rejectsMalformed(text: String) {
        #expect(PHCString(text) == nil)
    }
}
