import Glibc

extension UnsafeRawBufferPointer {
    /// `true` when these bytes are exactly `text`'s UTF-8: one length check and a memcmp, for the names and fields
    /// the realtime parsers compare on every event.
    @inline(__always)
    func equals(_ text: StaticString) -> Bool {
        count == text.utf8CodeUnitCount && (count == 0 || memcmp(baseAddress!, text.utf8Start, count) == 0)   // count > 0: a base address
    }
}
