// RFC 7693 §2.3 rotation; the compiler turns it into one rotate instruction.

extension UInt64 {
    /// x >>> n of RFC 7693 §2.3.
    @inline(__always)
    func rotatedRight(by count: UInt64) -> UInt64 { (self &>> count) | (self &<< (64 &- count)) }
}
