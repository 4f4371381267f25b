public import Crypto

/// Hashes and verifies passwords with Argon2id (DESIGN §6), stored as PHC strings.
///
/// Hashing costs tens of milliseconds of CPU by design: call it from the blocking pool, never
/// from an event loop.
public struct PasswordHasher: Sendable {
    /// Accepted password lengths in UTF-8 bytes (DESIGN §6 / issue 3).
    public static let passwordByteCounts = 8...4096
    /// Salt length: 16 bytes, as RFC 9106 §3.1 recommends for password hashing.
    public static let saltByteCount = 16

    /// The parameters of new hashes; stored hashes made with others report `needsRehash`.
    public let parameters: Argon2.Parameters
    /// Checked when the account does not exist, so that answer costs one full hash too. Its tag
    /// is all zeros, which no password produces in practice, so it never verifies.
    private let dummy: PHCString

    /// A hasher producing Argon2id hashes with `parameters` (default m=19456 KiB, t=2, p=1).
    /// - Throws: `PasswordError.invalidParameters` when RFC 9106 §3.1 forbids them.
    public init(parameters: Argon2.Parameters = Argon2.Parameters()) throws(PasswordError) {
        do {
            try Argon2.validate(parameters, passwordCount: 0, saltCount: Self.saltByteCount)
        } catch .invalidParameter(let reason) {
            throw .invalidParameters(reason)
        } catch {
            throw .invalidParameters("\(error)")
        }
        self.parameters = parameters
        dummy = PHCString(variant: .argon2id, parameters: parameters,
                          salt: [UInt8](repeating: 0x5A, count: Self.saltByteCount),
                          tag: [UInt8](repeating: 0, count: parameters.tagByteCount))
    }

    /// A hasher with the given Argon2id costs (memory in KiB, passes, lanes) and a 32-byte tag.
    /// - Throws: `PasswordError.invalidParameters` when RFC 9106 §3.1 forbids them.
    public init(memoryKiB: Int, iterations: Int, parallelism: Int) throws(PasswordError) {
        guard let memory = UInt32(exactly: memoryKiB), let passes = UInt32(exactly: iterations), let lanes = UInt32(exactly: parallelism) else {
            throw .invalidParameters("costs out of range")
        }
        try self.init(parameters: Argon2.Parameters(memoryKiB: memory, iterations: passes, parallelism: lanes))
    }

    /// A new PHC string for `password` (UTF-8 bytes) with a fresh random salt.
    /// - Throws: `PasswordError.passwordTooShort` or `.passwordTooLong`.
    public func hash(_ password: some Collection<UInt8>) throws(PasswordError) -> String {
        try Self.checkLength(password.count)
        let salt = SecureRandom.bytes(count: Self.saltByteCount)
        let tag = try argon2(password, salt: salt, parameters: parameters)
        return PHCString(variant: .argon2id, parameters: parameters, salt: salt, tag: tag).description
    }

    /// Whether `password` matches `stored`. Pass `nil` for an unknown account: the same hash
    /// work is done against a fixed dummy, so timing does not reveal which accounts exist.
    /// A password of a length `hash` would refuse is simply wrong (no hash work is done: its
    /// length is no secret).
    /// - Throws: `PasswordError.unsupportedHash` if `stored` is not an Argon2id PHC string.
    public func verify(_ password: some Collection<UInt8>, against stored: String?) throws(PasswordError) -> Bool {
        let target = try stored.map { (text: String) throws(PasswordError) in try Self.parse(text) } ?? dummy
        guard Self.passwordByteCounts.contains(password.count) else { return false }
        let tag = try argon2(password, salt: target.salt, parameters: target.parameters)
        return constantTimeEquals(tag, target.tag) && stored != nil
    }

    /// Whether `stored` should be replaced by a new hash at the next successful login: it was
    /// made with other parameters, another salt length, or cannot be read at all.
    public func needsRehash(_ stored: String) -> Bool {
        guard let phc = PHCString(stored), phc.variant == .argon2id else { return true }
        return phc.parameters != parameters || phc.salt.count != Self.saltByteCount
    }

    // MARK: - Not public

    private static func checkLength(_ count: Int) throws(PasswordError) {
        if count < passwordByteCounts.lowerBound { throw .passwordTooShort(minimumBytes: passwordByteCounts.lowerBound) }
        if count > passwordByteCounts.upperBound { throw .passwordTooLong(maximumBytes: passwordByteCounts.upperBound) }
    }

    private static func parse(_ stored: String) throws(PasswordError) -> PHCString {
        guard let phc = PHCString(stored) else { throw .unsupportedHash("not a version-19 Argon2 PHC string") }
        guard phc.variant == .argon2id else { throw .unsupportedHash("\(phc.variant.name) is not argon2id") }
        return phc
    }

    private func argon2(_ password: some Collection<UInt8>, salt: [UInt8], parameters: Argon2.Parameters) throws(PasswordError) -> [UInt8] {
        do {
            return try Argon2.hash(password: password, salt: salt, parameters: parameters)
        } catch {
            // Our own parameters were validated in init; a stored hash can still carry bad ones.
            throw .unsupportedHash("\(error)")
        }
    }
}
