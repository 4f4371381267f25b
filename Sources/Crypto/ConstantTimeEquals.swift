/// Whether `lhs` and `rhs` hold the same bytes, taking time that depends only on their lengths,
/// never on where they first differ. Lengths are compared first: a MAC's length is public.
/// Use it for every comparison that involves a secret (MACs, token hashes, password tags).
public func constantTimeEquals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
    guard lhs.count == rhs.count else { return false }
    return lhs.withContiguousBytes { left in rhs.withContiguousBytes { right in constantTimeEquals(left, right) } }
}

/// `constantTimeEquals` on raw buffers; the generic form lands here, and hot callers in other
/// modules call it directly because generic code does not specialize across modules.
public func constantTimeEquals(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    // No early exit: every byte pair is folded in, so timing leaks nothing about the content.
    for index in 0..<lhs.count { difference |= lhs[index] ^ rhs[index] }
    return difference == 0
}
