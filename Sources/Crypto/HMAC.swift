/// HMAC-SHA256 (RFC 2104 with H = SHA-256, as RFC 4231 tests it). Building one hashes the key
/// pads once; each code then costs only the message's blocks plus one outer block, which is what
/// makes verifying a JWT cheap.
public struct HMAC: Sendable {
    /// SHA-256 after absorbing K ⊕ ipad.
    private let inner: SHA256
    /// SHA-256 after absorbing K ⊕ opad.
    private let outer: SHA256

    /// Prepares `key`; RFC 2104 §2: a key longer than the 64-byte block is hashed first.
    public init(key: some Sequence<UInt8>) {
        var block = [UInt8](repeating: 0, count: SHA256.blockByteCount)
        let key = Array(key)
        let material = key.count > SHA256.blockByteCount ? SHA256.hash(key) : key
        block.replaceSubrange(0..<material.count, with: material)
        var inner = SHA256(), outer = SHA256()
        inner.update(block.map { $0 ^ 0x36 })  // ipad
        outer.update(block.map { $0 ^ 0x5C })  // opad
        self.inner = inner
        self.outer = outer
    }

    /// This HMAC with `prefix` already absorbed: its codes are those of `prefix` followed by the message.
    ///
    /// For messages that always begin the same way (a JWT's header): every full 64-byte block of the
    /// prefix is compressed here, once, instead of for every message.
    public func prefixed(with prefix: some Sequence<UInt8>) -> HMAC {
        var inner = self.inner
        inner.update(prefix)
        return HMAC(inner: inner, outer: outer)
    }

    private init(inner: SHA256, outer: SHA256) {
        self.inner = inner
        self.outer = outer
    }

    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(for message: some Sequence<UInt8>, key: some Sequence<UInt8>) -> [UInt8] {
        HMAC(key: key).authenticationCode(for: message)
    }

    /// The 32-byte authentication code of `message`.
    public func authenticationCode(for message: some Sequence<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: SHA256.byteCount) { output, count in
            message.withContiguousBytes { authenticationCode(for: $0, into: UnsafeMutableRawPointer(output.baseAddress!)) }
            count = SHA256.byteCount  // the capacity above is 32, never empty
        }
    }

    /// Writes the 32-byte code of `message` to `output`, allocating nothing.
    public func authenticationCode(for message: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) {
        var hasher = inner
        hasher.update(message)
        withUnsafeTemporaryAllocation(byteCount: SHA256.byteCount, alignment: 8) { innerDigest in
            hasher.finalize(into: innerDigest.baseAddress!)  // 32 bytes
            var outerHasher = outer
            outerHasher.update(UnsafeRawBufferPointer(innerDigest))
            outerHasher.finalize(into: output)
        }
    }

    /// Whether `code` is the authentication code of `message`, compared in constant time.
    public func isValidAuthenticationCode(_ code: some Collection<UInt8>, for message: some Sequence<UInt8>) -> Bool {
        constantTimeEquals(authenticationCode(for: message), code)
    }
}
