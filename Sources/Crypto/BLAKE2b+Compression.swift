// The BLAKE2b compression function F, RFC 7693 §3.2. The sixteen working words live in local
// variables and the message schedule in a stack buffer, so compressing never allocates.

extension BLAKE2b {
    /// RFC 7693 §2.7: the message word permutation of each round (rounds 10 and 11 reuse 0 and 1).
    private static let sigma: [UInt8] = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    ]

    /// F(h, m, t, f) of RFC 7693 §3.2 on the 128-byte block at `block`, after adding the
    /// `inputCount` bytes of it that are message (fewer than 128 only in the last block) to t.
    mutating func compress(_ block: UnsafeRawPointer, inputCount: Int = 128, isFinal: Bool = false) {
        let (low, carry) = counter.0.addingReportingOverflow(UInt64(inputCount))
        counter = (low, counter.1 &+ (carry ? 1 : 0))
        let iv = Self.initializationVector
        var (v0, v1, v2, v3, v4, v5, v6, v7) = state
        var (v8, v9, v10, v11) = (iv.0, iv.1, iv.2, iv.3)
        var (v12, v13, v14, v15) = (iv.4 ^ counter.0, iv.5 ^ counter.1, isFinal ? ~iv.6 : iv.6, iv.7)
        Self.sigma.withUnsafeBufferPointer { sigma in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 16) { words in
                let m = words.baseAddress!, s = sigma.baseAddress!  // 16 words; 160 indices
                for index in 0..<16 { m[index] = block.littleEndianUInt64(at: index * 8) }
                for round in 0..<12 {
                    let p = s + (round % 10) * 16
                    mix(&v0, &v4, &v8, &v12, m[Int(p[0])], m[Int(p[1])])
                    mix(&v1, &v5, &v9, &v13, m[Int(p[2])], m[Int(p[3])])
                    mix(&v2, &v6, &v10, &v14, m[Int(p[4])], m[Int(p[5])])
                    mix(&v3, &v7, &v11, &v15, m[Int(p[6])], m[Int(p[7])])
                    mix(&v0, &v5, &v10, &v15, m[Int(p[8])], m[Int(p[9])])
                    mix(&v1, &v6, &v11, &v12, m[Int(p[10])], m[Int(p[11])])
                    mix(&v2, &v7, &v8, &v13, m[Int(p[12])], m[Int(p[13])])
                    mix(&v3, &v4, &v9, &v14, m[Int(p[14])], m[Int(p[15])])
                }
            }
        }
        state.0 ^= v0 ^ v8
        state.1 ^= v1 ^ v9
        state.2 ^= v2 ^ v10
        state.3 ^= v3 ^ v11
        state.4 ^= v4 ^ v12
        state.5 ^= v5 ^ v13
        state.6 ^= v6 ^ v14
        state.7 ^= v7 ^ v15
    }

    /// The mixing function G of RFC 7693 §3.1, rotation constants R1...R4 = 32, 24, 16, 63.
    @inline(__always)
    private func mix(_ a: inout UInt64, _ b: inout UInt64, _ c: inout UInt64, _ d: inout UInt64, _ x: UInt64, _ y: UInt64) {
        a = a &+ b &+ x
        d = (d ^ a).rotatedRight(by: 32)
        c = c &+ d
        b = (b ^ c).rotatedRight(by: 24)
        a = a &+ b &+ y
        d = (d ^ a).rotatedRight(by: 16)
        c = c &+ d
        b = (b ^ c).rotatedRight(by: 63)
    }
}
