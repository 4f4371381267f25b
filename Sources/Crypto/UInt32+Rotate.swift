// FIPS 180-4 §3.2 rotations; the compiler turns each into one rotate instruction.

extension UInt32 {
    /// ROTL^n(x) of FIPS 180-4 §3.2.
    @inline(__always)
    func rotatedLeft(by count: UInt32) -> UInt32 { (self &<< count) | (self &>> (32 &- count)) }

    /// ROTR^n(x) of FIPS 180-4 §3.2.
    @inline(__always)
    func rotatedRight(by count: UInt32) -> UInt32 { (self &>> count) | (self &<< (32 &- count)) }
}
