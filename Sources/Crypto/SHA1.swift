/// SHA-1 (FIPS 180-4 §6.1), kept only because RFC 6455 §4.2.2 derives `Sec-WebSocket-Accept`
/// from it. SHA-1 is broken for collision resistance: never use it for anything secret.
public enum SHA1 {
    /// The 20-byte digest of `bytes`.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        bytes.withContiguousBytes(digest)
    }

    /// FIPS 180-4 §6.1.1: H(0).
    private static let initialState: (UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)

    private static func digest(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        var state = initialState
        let fullBlocks = message.count / 64
        if let base = message.baseAddress {
            for block in 0..<fullBlocks { compress(&state, base + block * 64) }
        }
        finish(&state, tail: UnsafeRawBufferPointer(rebasing: message[(fullBlocks * 64)...]), length: message.count)
        var output = [UInt8](repeating: 0, count: 20)
        output.withUnsafeMutableBytes { out in
            let base = out.baseAddress!  // 20 bytes were just allocated
            base.storeBigEndian(state.0, at: 0)
            base.storeBigEndian(state.1, at: 4)
            base.storeBigEndian(state.2, at: 8)
            base.storeBigEndian(state.3, at: 12)
            base.storeBigEndian(state.4, at: 16)
        }
        return output
    }

    /// FIPS 180-4 §5.1.1: append 0x80, zeros, and the 64-bit big-endian bit length.
    private static func finish(
        _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32), tail: UnsafeRawBufferPointer, length: Int
    ) {
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { buffer in
            let base = buffer.baseAddress!  // a 128-byte allocation is never empty
            base.initializeMemory(as: UInt8.self, repeating: 0, count: 128)
            if let source = tail.baseAddress { base.copyMemory(from: source, byteCount: tail.count) }
            base.storeBytes(of: 0x80, toByteOffset: tail.count, as: UInt8.self)
            let blocks = tail.count < 56 ? 1 : 2
            base.storeBigEndian(UInt64(length) &* 8, at: blocks * 64 - 8)
            for block in 0..<blocks { compress(&state, UnsafeRawPointer(base) + block * 64) }
        }
    }

    /// FIPS 180-4 §6.1.2 steps 1-4 for one 64-byte block.
    private static func compress(_ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32), _ block: UnsafeRawPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { w in
            for t in 0..<16 { w[t] = block.bigEndianUInt32(at: t * 4) }
            for t in 16..<80 { w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotatedLeft(by: 1) }
            var (a, b, c, d, e) = state
            for t in 0..<80 {
                // §4.1.1 and §4.2.1: f and K change every 20 rounds.
                let (f, k): (UInt32, UInt32) =
                    switch t {
                    case 0..<20: ((b & c) | (~b & d), 0x5A82_7999)
                    case 20..<40: (b ^ c ^ d, 0x6ED9_EBA1)
                    case 40..<60: ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                    default: (b ^ c ^ d, 0xCA62_C1D6)
                    }
                let temp = a.rotatedLeft(by: 5) &+ f &+ e &+ k &+ w[t]
                (e, d, c, b, a) = (d, c, b.rotatedLeft(by: 30), a, temp)
            }
            state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e)
        }
    }
}
