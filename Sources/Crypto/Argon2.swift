/// Argon2 (RFC 9106), version 0x13, the memory-hard password hash. Argon2id is the variant to use
/// for passwords (RFC 9106 §4); Argon2d and Argon2i exist here only because they share every line
/// but the addressing choice, and RFC 9106 §5 tests all three.
public enum Argon2 {
    /// The only version produced and accepted: 0x13 (19), RFC 9106 §3.1.
    public static let version: UInt32 = 0x13

    /// The type field y of RFC 9106 §3.1.
    public enum Variant: UInt32, Sendable, CaseIterable {
        /// Data-dependent addressing only.
        case argon2d = 0
        /// Data-independent addressing only.
        case argon2i = 1
        /// Data-independent addressing for the first half of the first pass, then data-dependent.
        case argon2id = 2

        /// The identifier used in PHC strings (`argon2id`).
        public var name: String {
            switch self {
            case .argon2d: "argon2d"
            case .argon2i: "argon2i"
            case .argon2id: "argon2id"
            }
        }
    }

    /// The cost parameters and tag length; defaults are DESIGN §6 (OWASP: m=19456 KiB, t=2, p=1).
    public struct Parameters: Hashable, Sendable {
        /// m, in KiB (1 KiB blocks); at least 8 × parallelism.
        public var memoryKiB: UInt32
        /// t, the number of passes over memory; at least 1.
        public var iterations: UInt32
        /// p, the number of lanes, 1...2^24-1. Lanes are filled one after another here, which
        /// gives the same tag as filling them in parallel.
        public var parallelism: UInt32
        /// T, the tag length in bytes; at least 4.
        public var tagByteCount: Int

        /// Parameters with the given costs.
        public init(memoryKiB: UInt32 = 19456, iterations: UInt32 = 2, parallelism: UInt32 = 1, tagByteCount: Int = 32) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
            self.tagByteCount = tagByteCount
        }
    }

    /// The tag of `password` (RFC 9106 §3.2). `secret` (K) and `associatedData` (X) are optional.
    /// - Throws: `Argon2Error` for parameters outside RFC 9106 §3.1 or memory that cannot be had.
    public static func hash(
        password: some Collection<UInt8>, salt: some Collection<UInt8>, parameters: Parameters = Parameters(),
        variant: Variant = .argon2id, secret: some Collection<UInt8> = [UInt8](),
        associatedData: some Collection<UInt8> = [UInt8]()
    ) throws(Argon2Error) -> [UInt8] {
        try validate(parameters, passwordCount: password.count, saltCount: salt.count)
        let h0 = initialHash(password: password, salt: salt, secret: secret, associatedData: associatedData,
                             parameters: parameters, variant: variant)
        let memory = try Argon2Memory(parameters: parameters, variant: variant)
        memory.fill(initialHash: h0)
        return variableLengthHash(memory.finalBlock(), byteCount: parameters.tagByteCount)
    }

    /// RFC 9106 §3.1 bounds. The 8-byte salt minimum is libargon2's: RFC 9106 only recommends 16.
    package static func validate(_ parameters: Parameters, passwordCount: Int, saltCount: Int) throws(Argon2Error) {
        guard (1...0xFF_FFFF).contains(parameters.parallelism) else {
            throw .invalidParameter("parallelism must be 1...16777215, got \(parameters.parallelism)")
        }
        guard parameters.memoryKiB >= 8 * parameters.parallelism else {
            throw .invalidParameter("memory must be at least 8 KiB per lane, got \(parameters.memoryKiB) KiB")
        }
        guard parameters.iterations >= 1 else { throw .invalidParameter("iterations must be at least 1") }
        guard (4...Int(UInt32.max)).contains(parameters.tagByteCount) else {
            throw .invalidParameter("tag length must be at least 4 bytes, got \(parameters.tagByteCount)")
        }
        guard saltCount >= 8, saltCount <= UInt32.max else {
            throw .invalidParameter("salt must be at least 8 bytes, got \(saltCount)")
        }
        guard passwordCount <= UInt32.max else { throw .invalidParameter("password longer than 2^32-1 bytes") }
    }

    /// H0 of RFC 9106 §3.2 step 1: BLAKE2b-512 over the parameters and the length-prefixed inputs.
    package static func initialHash(
        password: some Collection<UInt8>, salt: some Collection<UInt8>, secret: some Collection<UInt8>,
        associatedData: some Collection<UInt8>, parameters: Parameters, variant: Variant
    ) -> [UInt8] {
        var hasher = BLAKE2b(byteCount: 64)
        for word in [parameters.parallelism, UInt32(parameters.tagByteCount), parameters.memoryKiB,
                     parameters.iterations, version, variant.rawValue] {
            hasher.updateLittleEndian(word)
        }
        hasher.updateLengthPrefixed(password)
        hasher.updateLengthPrefixed(salt)
        hasher.updateLengthPrefixed(secret)
        hasher.updateLengthPrefixed(associatedData)
        return hasher.finalize()
    }

    /// H' of RFC 9106 §3.3: BLAKE2b stretched to any length by chaining 64-byte digests and
    /// keeping the first 32 bytes of each but the last.
    package static func variableLengthHash(_ input: some Collection<UInt8>, byteCount: Int) -> [UInt8] {
        var first = BLAKE2b(byteCount: min(byteCount, 64))
        first.updateLittleEndian(UInt32(byteCount))
        first.update(input)
        guard byteCount > 64 else { return first.finalize() }
        // r = ceil(T/32) - 2 full 64-byte digests V1...Vr, then V(r+1) of the remaining length.
        let r = (byteCount + 31) / 32 - 2
        var output: [UInt8] = []
        output.reserveCapacity(byteCount)
        var v = first.finalize()
        output += v.prefix(32)
        for _ in 1..<r {
            v = BLAKE2b.hash(v)
            output += v.prefix(32)
        }
        output += BLAKE2b.hash(v, byteCount: byteCount - 32 * r)
        return output
    }
}
