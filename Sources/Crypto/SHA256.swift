/// SHA-256 (FIPS 180-4 §6.2), streaming or one-shot. A value type: copying a hasher forks it,
/// which is how `HMAC` reuses its precomputed key state.
public struct SHA256: Sendable {
    /// The digest size in bytes.
    public static let byteCount = 32
    /// The block size in bytes, which HMAC needs (RFC 2104 §2, B = 64).
    public static let blockByteCount = 64

    typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// FIPS 180-4 §5.3.3: H(0).
    private var state: State = (
        0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A, 0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19
    )
    /// Input not yet compressed: always fewer than 64 bytes. A tuple, so hashing never allocates.
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0
    private var totalCount: UInt64 = 0

    /// A hasher that has absorbed nothing.
    public init() {}

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Absorbs `bytes`.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        bytes.withContiguousBytes { update($0) }
    }

    /// Absorbs the bytes of `buffer`.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard var input = buffer.baseAddress, buffer.count > 0 else { return }
        var remaining = buffer.count
        totalCount &+= UInt64(remaining)
        if pendingCount > 0 {
            let offset = pendingCount, taken = min(64 - offset, remaining)
            withUnsafeMutableBytes(of: &pending) { $0.baseAddress!.advanced(by: offset).copyMemory(from: input, byteCount: taken) }
            pendingCount += taken
            input += taken
            remaining -= taken
            guard pendingCount == 64 else { return }
            let block = pending
            withUnsafeBytes(of: block) { Self.compress(&state, $0.baseAddress!, blocks: 1) }  // 64-byte tuple
            pendingCount = 0
        }
        let blocks = remaining / 64
        if blocks > 0 { Self.compress(&state, input, blocks: blocks) }
        let rest = remaining - blocks * 64
        if rest > 0 {
            withUnsafeMutableBytes(of: &pending) { $0.baseAddress!.copyMemory(from: input + blocks * 64, byteCount: rest) }
            pendingCount = rest
        }
    }

    /// The digest of everything absorbed so far; the hasher itself is left as it was.
    public func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.byteCount) { output, count in
            finalize(into: UnsafeMutableRawPointer(output.baseAddress!))  // capacity 32 is never empty
            count = Self.byteCount
        }
    }

    /// Writes the 32-byte digest to `output` without allocating.
    package func finalize(into output: UnsafeMutableRawPointer) {
        var copy = self
        copy.pad()
        let state = copy.state
        output.storeBigEndian(state.0, at: 0)
        output.storeBigEndian(state.1, at: 4)
        output.storeBigEndian(state.2, at: 8)
        output.storeBigEndian(state.3, at: 12)
        output.storeBigEndian(state.4, at: 16)
        output.storeBigEndian(state.5, at: 20)
        output.storeBigEndian(state.6, at: 24)
        output.storeBigEndian(state.7, at: 28)
    }

    /// FIPS 180-4 §5.1.1: 0x80, zeros to 56 mod 64, then the 64-bit big-endian bit length.
    private mutating func pad() {
        let bitLength = totalCount &* 8, used = pendingCount
        var block = pending
        withUnsafeMutableBytes(of: &block) { block in
            let base = block.baseAddress!  // a 64-byte tuple
            base.storeBytes(of: 0x80, toByteOffset: used, as: UInt8.self)
            (base + used + 1).initializeMemory(as: UInt8.self, repeating: 0, count: 63 - used)
            if used >= 56 {
                Self.compress(&state, base, blocks: 1)
                base.initializeMemory(as: UInt8.self, repeating: 0, count: 56)
            }
            base.storeBigEndian(bitLength, at: 56)
            Self.compress(&state, base, blocks: 1)
        }
    }
}
