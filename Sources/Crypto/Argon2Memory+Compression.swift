// The Argon2 compression function G, RFC 9106 §3.5-3.6. This is where nearly all of the hashing
// time goes: it runs on raw pointers, loads each 16-word group into locals, and leaves the two
// 1 KiB scratch blocks to the caller so that no block ever allocates.

extension Argon2Memory {
    /// G(X, Y) of §3.5, written to `next`; with `xorInto`, the result is also XORed with the old
    /// content of `next` (§3.2 step 6, version 0x13). `next` may alias `x` or `y`.
    /// `scratch` must hold two blocks.
    @inline(__always)
    static func compress(
        _ x: UnsafeMutablePointer<UInt64>, _ y: UnsafeMutablePointer<UInt64>, into next: UnsafeMutablePointer<UInt64>,
        xorInto: Bool, scratch: UnsafeMutablePointer<UInt64>
    ) {
        let r = scratch, keep = scratch + 128
        for index in 0..<128 { r[index] = x[index] ^ y[index] }  // R = X xor Y
        if xorInto {
            for index in 0..<128 { keep[index] = r[index] ^ next[index] }
        } else {
            keep.update(from: r, count: 128)
        }
        // Q = P applied to each row of eight 16-byte registers, then Z = P on each column.
        for row in 0..<8 { permuteRow(r + row * 16) }
        for column in 0..<8 { permuteColumn(r + column * 2) }
        for index in 0..<128 { next[index] = keep[index] ^ r[index] }  // Z xor R
    }

    /// P on the 16 consecutive words at `p` (one row: registers S0...S7).
    @inline(__always)
    private static func permuteRow(_ p: UnsafeMutablePointer<UInt64>) {
        var (v0, v1, v2, v3, v4, v5, v6, v7) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])
        var (v8, v9, v10, v11, v12, v13, v14, v15) = (p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15])
        permute(&v0, &v1, &v2, &v3, &v4, &v5, &v6, &v7, &v8, &v9, &v10, &v11, &v12, &v13, &v14, &v15)
        (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]) = (v0, v1, v2, v3, v4, v5, v6, v7)
        (p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15]) = (v8, v9, v10, v11, v12, v13, v14, v15)
    }

    /// P on one column: register `column` of every row, i.e. words 2c, 2c+1, 2c+16, 2c+17, ...
    @inline(__always)
    private static func permuteColumn(_ p: UnsafeMutablePointer<UInt64>) {
        var (v0, v1, v2, v3, v4, v5, v6, v7) = (p[0], p[1], p[16], p[17], p[32], p[33], p[48], p[49])
        var (v8, v9, v10, v11, v12, v13, v14, v15) = (p[64], p[65], p[80], p[81], p[96], p[97], p[112], p[113])
        permute(&v0, &v1, &v2, &v3, &v4, &v5, &v6, &v7, &v8, &v9, &v10, &v11, &v12, &v13, &v14, &v15)
        (p[0], p[1], p[16], p[17], p[32], p[33], p[48], p[49]) = (v0, v1, v2, v3, v4, v5, v6, v7)
        (p[64], p[65], p[80], p[81], p[96], p[97], p[112], p[113]) = (v8, v9, v10, v11, v12, v13, v14, v15)
    }

    /// P of §3.6: one BLAKE2b round without message words, on the 4x4 matrix v0...v15.
    @inline(__always)
    private static func permute(
        _ v0: inout UInt64, _ v1: inout UInt64, _ v2: inout UInt64, _ v3: inout UInt64,
        _ v4: inout UInt64, _ v5: inout UInt64, _ v6: inout UInt64, _ v7: inout UInt64,
        _ v8: inout UInt64, _ v9: inout UInt64, _ v10: inout UInt64, _ v11: inout UInt64,
        _ v12: inout UInt64, _ v13: inout UInt64, _ v14: inout UInt64, _ v15: inout UInt64
    ) {
        mix(&v0, &v4, &v8, &v12)
        mix(&v1, &v5, &v9, &v13)
        mix(&v2, &v6, &v10, &v14)
        mix(&v3, &v7, &v11, &v15)
        mix(&v0, &v5, &v10, &v15)
        mix(&v1, &v6, &v11, &v12)
        mix(&v2, &v7, &v8, &v13)
        mix(&v3, &v4, &v9, &v14)
    }

    /// GB of §3.6: BLAKE2b's G with each addition a + b replaced by a + b + 2 * trunc(a) * trunc(b),
    /// trunc taking the low 32 bits (the multiplication that makes the function memory-hard
    /// on dedicated hardware).
    @inline(__always)
    private static func mix(_ a: inout UInt64, _ b: inout UInt64, _ c: inout UInt64, _ d: inout UInt64) {
        a = blaMka(a, b)
        d = (d ^ a).rotatedRight(by: 32)
        c = blaMka(c, d)
        b = (b ^ c).rotatedRight(by: 24)
        a = blaMka(a, b)
        d = (d ^ a).rotatedRight(by: 16)
        c = blaMka(c, d)
        b = (b ^ c).rotatedRight(by: 63)
    }

    @inline(__always)
    private static func blaMka(_ x: UInt64, _ y: UInt64) -> UInt64 {
        x &+ y &+ 2 &* (x & 0xFFFF_FFFF) &* (y & 0xFFFF_FFFF)
    }
}
