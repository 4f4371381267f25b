// Hashes work on raw pointers; this gives them one for any byte sequence without
// copying the common cases ([UInt8], ArraySlice, String.UTF8View of a native string).

extension Sequence<UInt8> {
    /// Runs `body` on the bytes in place when they are contiguous, else on a copy.
    @inline(__always)
    func withContiguousBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if let result = try withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return try Array(self).withUnsafeBytes(body)
    }
}
