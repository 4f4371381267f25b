// The SHA-256 compression function, FIPS 180-4 §6.2.2. This is the hot loop: it works on raw
// pointers, keeps the eight working variables in registers, unrolls eight rounds at a time so the
// variable rotation of step 3 becomes argument order, and keeps the 64-word schedule on the stack.
// Two standard rewrites save instructions without changing any value (a JWT verify is five
// compressions): the schedule's σ0/σ1 nest their rotations, ROTR(ROTR(x, p) ^ x, q), which needs
// no copy of x; and Maj(a, b, c) = ((a ^ b) & (b ^ c)) ^ b, where b ^ c is the previous round's
// a ^ b. The rounds' Σ0/Σ1 keep three independent rotations: they are on the round-to-round
// dependency chain, and nesting them measured slower.

extension SHA256 {
    /// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428A_2F98, 0x7137_4491, 0xB5C0_FBCF, 0xE9B5_DBA5, 0x3956_C25B, 0x59F1_11F1, 0x923F_82A4, 0xAB1C_5ED5,
        0xD807_AA98, 0x1283_5B01, 0x2431_85BE, 0x550C_7DC3, 0x72BE_5D74, 0x80DE_B1FE, 0x9BDC_06A7, 0xC19B_F174,
        0xE49B_69C1, 0xEFBE_4786, 0x0FC1_9DC6, 0x240C_A1CC, 0x2DE9_2C6F, 0x4A74_84AA, 0x5CB0_A9DC, 0x76F9_88DA,
        0x983E_5152, 0xA831_C66D, 0xB003_27C8, 0xBF59_7FC7, 0xC6E0_0BF3, 0xD5A7_9147, 0x06CA_6351, 0x1429_2967,
        0x27B7_0A85, 0x2E1B_2138, 0x4D2C_6DFC, 0x5338_0D13, 0x650A_7354, 0x766A_0ABB, 0x81C2_C92E, 0x9272_2C85,
        0xA2BF_E8A1, 0xA81A_664B, 0xC24B_8B70, 0xC76C_51A3, 0xD192_E819, 0xD699_0624, 0xF40E_3585, 0x106A_A070,
        0x19A4_C116, 0x1E37_6C08, 0x2748_774C, 0x34B0_BCB5, 0x391C_0CB3, 0x4ED8_AA4A, 0x5B9C_CA4F, 0x682E_6FF3,
        0x748F_82EE, 0x78A5_636F, 0x84C8_7814, 0x8CC7_0208, 0x90BE_FFFA, 0xA450_6CEB, 0xBEF9_A3F7, 0xC671_78F2,
    ]

    /// Compresses `blocks` consecutive 64-byte blocks at `input` into `state`.
    static func compress(_ state: inout State, _ input: UnsafeRawPointer, blocks: Int) {
        roundConstants.withUnsafeBufferPointer { constants in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
                let k = constants.baseAddress!, w = schedule.baseAddress!  // both hold 64 words
                for block in 0..<blocks {
                    expand(input + block * 64, into: w)
                    rounds(&state, k, w)
                }
            }
        }
    }

    /// §6.2.2 step 1: the message schedule W0...W63.
    @inline(__always)
    private static func expand(_ block: UnsafeRawPointer, into w: UnsafeMutablePointer<UInt32>) {
        for t in 0..<16 { w[t] = block.bigEndianUInt32(at: t * 4) }
        for t in 16..<64 {
            let x = w[t - 15], y = w[t - 2]
            let sigma0 = (x.rotatedRight(by: 11) ^ x).rotatedRight(by: 7) ^ (x &>> 3)   // σ0, §4.1.2 (4.6)
            let sigma1 = (y.rotatedRight(by: 2) ^ y).rotatedRight(by: 17) ^ (y &>> 10)  // σ1, §4.1.2 (4.7)
            w[t] = sigma1 &+ w[t - 7] &+ sigma0 &+ w[t - 16]
        }
    }

    /// §6.2.2 steps 2-4.
    @inline(__always)
    private static func rounds(_ state: inout State, _ k: UnsafePointer<UInt32>, _ w: UnsafePointer<UInt32>) {
        var (a, b, c, d, e, f, g, h) = state
        var bc = b ^ c
        for t in stride(from: 0, to: 64, by: 8) {
            round(a, b, &d, e, f, g, &h, &bc, k[t] &+ w[t])
            round(h, a, &c, d, e, f, &g, &bc, k[t + 1] &+ w[t + 1])
            round(g, h, &b, c, d, e, &f, &bc, k[t + 2] &+ w[t + 2])
            round(f, g, &a, b, c, d, &e, &bc, k[t + 3] &+ w[t + 3])
            round(e, f, &h, a, b, c, &d, &bc, k[t + 4] &+ w[t + 4])
            round(d, e, &g, h, a, b, &c, &bc, k[t + 5] &+ w[t + 5])
            round(c, d, &f, g, h, a, &b, &bc, k[t + 6] &+ w[t + 6])
            round(b, c, &e, f, g, h, &a, &bc, k[t + 7] &+ w[t + 7])
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
                 state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
    }

    /// One round of §6.2.2 step 3. Instead of shifting all eight variables, the caller rotates
    /// their roles: `d` receives d + T1 (the new e) and `h` receives T1 + T2 (the new a). `c` is
    /// not needed: `bc` holds b ^ c on entry and a ^ b (the next round's b ^ c) on return.
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ d: inout UInt32,
        _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ bc: inout UInt32, _ kw: UInt32
    ) {
        let sum1 = e.rotatedRight(by: 6) ^ e.rotatedRight(by: 11) ^ e.rotatedRight(by: 25)  // Σ1 (4.5)
        let choose = g ^ (e & (f ^ g))                                                     // Ch (4.2)
        let t1 = h &+ kw &+ choose &+ sum1
        let sum0 = a.rotatedRight(by: 2) ^ a.rotatedRight(by: 13) ^ a.rotatedRight(by: 22)  // Σ0 (4.4)
        let ab = a ^ b
        let majority = (ab & bc) ^ b                                                       // Maj (4.3)
        bc = ab
        d &+= t1
        h = t1 &+ sum0 &+ majority
    }
}
