import Auth
import Crypto
import Testing

/// Argon2id password hashing: PHC output, verification, rehash policy and length limits.
struct PasswordHasherTests {
    /// Small costs keep the debug-build suite fast; the default cost is covered by one vector.
    static let cheap = try! PasswordHasher(parameters: Argon2.Parameters(memoryKiB: 64, iterations: 1))  // valid by RFC 9106

    @Test func hashVerifiesAndRejectsOtherPasswords() throws {
        let stored = try Self.cheap.hash(Array("correct horse".utf8))
        #expect(stored.hasPrefix("$argon2id$v=19$m=64,t=1,p=1$"))
        #expect(try Self.cheap.verify(Array("correct horse".utf8), against: stored))
        #expect(try !Self.cheap.verify(Array("correct horsf".utf8), against: stored))
    }

    @Test func saltsAreFresh() throws {
        let password = Array("same password".utf8)
        #expect(try Self.cheap.hash(password) != Self.cheap.hash(password))
    }

    /// The libargon2-made default-cost vector (m=19456, t=2, p=1) verifies with the default hasher.
    @Test func verifiesLibargon2DefaultCostHash() throws {
        let vectors = try VectorFile("argon2id.json").objects(["vectors"])
        let vector = try #require(vectors.first { ($0["name"] as? String)?.hasPrefix("OWASP default") == true })
        let stored = try #require(vector["encoded"] as? String)
        let password = try Hex.decode(try #require(vector["password_hex"] as? String))
        let hasher = try PasswordHasher()
        #expect(try hasher.verify(password, against: stored))
        #expect(!hasher.needsRehash(stored))
    }

    @Test func unknownAccountIsFalseAfterTheSameWork() throws {
        let hasher = try PasswordHasher(parameters: Argon2.Parameters(memoryKiB: 2048, iterations: 1))
        let stored = try hasher.hash(Array("password1".utf8))
        let clock = ContinuousClock()
        var known: [Duration] = [], unknown: [Duration] = []
        for _ in 0..<3 {
            known.append(try clock.measure { _ = try hasher.verify(Array("password2".utf8), against: stored) })
            unknown.append(try clock.measure { _ = try hasher.verify(Array("password2".utf8), against: nil) })
        }
        #expect(try !hasher.verify(Array("password1".utf8), against: nil))
        // Medians within a factor of two of each other: the dummy hash does the same work.
        let ratio = unknown.sorted()[1] / known.sorted()[1]
        #expect(ratio > 0.5 && ratio < 2, "unknown/known verify time ratio \(ratio)")
    }

    @Test func lengthLimitsAreExplained() throws {
        #expect(throws: PasswordError.passwordTooShort(minimumBytes: 8)) { try Self.cheap.hash([UInt8](repeating: 97, count: 7)) }
        #expect(throws: PasswordError.passwordTooLong(maximumBytes: 4096)) { try Self.cheap.hash([UInt8](repeating: 97, count: 4097)) }
        #expect(throws: Never.self) { try Self.cheap.hash([UInt8](repeating: 97, count: 8)) }
        let longest = try Self.cheap.hash([UInt8](repeating: 97, count: 4096))
        #expect(try Self.cheap.verify([UInt8](repeating: 97, count: 4096), against: longest))
        #expect(try !Self.cheap.verify([UInt8](repeating: 97, count: 4097), against: longest))
        #expect(PasswordError.passwordTooShort(minimumBytes: 8).description == "password must be at least 8 bytes")
    }

    @Test func needsRehashWhenParametersDiffer() throws {
        let stored = try Self.cheap.hash(Array("password".utf8))
        #expect(!Self.cheap.needsRehash(stored))
        #expect(try PasswordHasher(parameters: Argon2.Parameters(memoryKiB: 128, iterations: 1)).needsRehash(stored))
        #expect(try PasswordHasher(parameters: Argon2.Parameters(memoryKiB: 64, iterations: 2)).needsRehash(stored))
        #expect(Self.cheap.needsRehash("not a hash"))
        #expect(Self.cheap.needsRehash(stored.replacing("argon2id", with: "argon2i")))
    }

    @Test func malformedStoredHashThrows() {
        #expect(throws: PasswordError.self) { try Self.cheap.verify(Array("password".utf8), against: "$2b$12$bcrypt") }
        #expect(throws: PasswordError.self) {
            try Self.cheap.verify(Array("password".utf8), against: "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHRTT01FU0FMVA$LezjIqvX8yWZ2Wpo36325Q")
        }
    }

    @Test func invalidParametersAreRefused() {
        #expect(throws: PasswordError.self) { try PasswordHasher(parameters: Argon2.Parameters(memoryKiB: 4)) }
        #expect(throws: PasswordError.self) { try PasswordHasher(parameters: Argon2.Parameters(iterations: 0)) }
    }
}
