/// BLAKE2b (RFC 7693), keyed or not, with any digest size from 1 to 64 bytes. The digest size is
/// the `nn` parameter of the hash, not a truncation: BLAKE2b-256 differs from the first half of
/// BLAKE2b-512. Argon2 is built on it (RFC 9106 §3.2 H and §3.3 H').
public struct BLAKE2b: Sendable {
    /// The largest digest and key size, in bytes.
    public static let maximumByteCount = 64

    typealias Words = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    typealias Block = (Words, Words)

    /// RFC 7693 §2.6: the SHA-512 initial values.
    static let initializationVector: Words = (
        0x6A09_E667_F3BC_C908, 0xBB67_AE85_84CA_A73B, 0x3C6E_F372_FE94_F82B, 0xA54F_F53A_5F1D_36F1,
        0x510E_527F_ADE6_82D1, 0x9B05_688C_2B3E_6C1F, 0x1F83_D9AB_FB41_BD6B, 0x5BE0_CD19_137E_2179
    )

    var state: Words
    /// Up to one full block. BLAKE2b must hold the last block back until `finalize`, because
    /// only that block is compressed with the final flag (RFC 7693 §3.3).
    private var pending: Block = ((0, 0, 0, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 0, 0, 0))
    private var pendingCount = 0
    /// The byte counter t, low and high words.
    var counter: (UInt64, UInt64) = (0, 0)
    private let byteCount: Int

    /// An unkeyed hasher producing `byteCount` bytes (1...64).
    public init(byteCount: Int = 64) {
        self.init(byteCount: byteCount, key: [UInt8]())
    }

    /// A keyed hasher (a MAC) producing `byteCount` bytes; `key` may be 0...64 bytes.
    public init(byteCount: Int = 64, key: some Collection<UInt8>) {
        precondition((1...Self.maximumByteCount).contains(byteCount), "BLAKE2b digest size must be 1...64")
        precondition(key.count <= Self.maximumByteCount, "BLAKE2b key must be at most 64 bytes")
        self.byteCount = byteCount
        // RFC 7693 §3.3: h[0] ^= 0x01010kknn (depth 1, fanout 1, key length, digest length).
        state = Self.initializationVector
        state.0 ^= 0x0101_0000 ^ UInt64(key.count) << 8 ^ UInt64(byteCount)
        if !key.isEmpty {
            // The key, zero-padded to a full block, is the first block of input.
            withUnsafeMutableBytes(of: &pending) { $0.copyBytes(from: key) }
            pendingCount = 128
        }
    }

    /// The `byteCount`-byte digest of `bytes`, keyed by `key` when it is not empty.
    public static func hash(_ bytes: some Sequence<UInt8>, byteCount: Int = 64, key: some Collection<UInt8> = [UInt8]()) -> [UInt8] {
        var hasher = BLAKE2b(byteCount: byteCount, key: key)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Absorbs `bytes`.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        bytes.withContiguousBytes { update($0) }
    }

    /// Absorbs the bytes of `buffer`.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard var input = buffer.baseAddress else { return }
        var remaining = buffer.count
        let free = 128 - pendingCount
        if remaining > free {
            // More input follows the pending block, so it is not the last one: compress it now.
            let offset = pendingCount
            withUnsafeMutableBytes(of: &pending) { ($0.baseAddress! + offset).copyMemory(from: input, byteCount: free) }
            input += free
            remaining -= free
            let block = pending
            withUnsafeBytes(of: block) { compress($0.baseAddress!) }  // a 128-byte tuple
            pendingCount = 0
            while remaining > 128 {
                compress(input)
                input += 128
                remaining -= 128
            }
        }
        let offset = pendingCount
        withUnsafeMutableBytes(of: &pending) { ($0.baseAddress! + offset).copyMemory(from: input, byteCount: remaining) }
        pendingCount += remaining
    }

    /// The digest of everything absorbed so far; the hasher itself is left as it was.
    public func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: byteCount) { output, count in
            finalize(into: UnsafeMutableRawBufferPointer(output))
            count = byteCount
        }
    }

    /// Writes the digest to the first `byteCount` bytes of `output` without allocating.
    package func finalize(into output: UnsafeMutableRawBufferPointer) {
        var copy = self
        let used = pendingCount
        withUnsafeMutableBytes(of: &copy.pending) { _ = ($0.baseAddress! + used).initializeMemory(as: UInt8.self, repeating: 0, count: 128 - used) }
        let block = copy.pending
        withUnsafeBytes(of: block) { copy.compress($0.baseAddress!, inputCount: used, isFinal: true) }
        // RFC 7693 §3.3: the digest is the first nn bytes of h, little-endian.
        withUnsafeBytes(of: copy.state) { digest in
            output.baseAddress!.copyMemory(from: digest.baseAddress!, byteCount: byteCount)  // both hold ≥ nn bytes
        }
    }
}
