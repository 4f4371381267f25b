/// Splits a comma-separated field value into elements trimmed of OWS (RFC 9110 §5.6.1).
struct ListSplitter: Sequence, IteratorProtocol {
    private let bytes: UnsafeRawBufferPointer
    private let keepEmpty: Bool
    private var position = 0
    private var finished = false

    init(_ bytes: UnsafeRawBufferPointer, keepEmpty: Bool = false) {
        self.bytes = bytes
        self.keepEmpty = keepEmpty
    }

    mutating func next() -> UnsafeRawBufferPointer? {
        while !finished {
            var end = position
            while end < bytes.count && bytes[end] != UInt8(ascii: ",") { end += 1 }
            var start = position
            var stop = end
            while start < stop && ASCII.isWhitespace(bytes[start]) { start += 1 }
            while stop > start && ASCII.isWhitespace(bytes[stop - 1]) { stop -= 1 }
            finished = end >= bytes.count
            position = end + 1
            if stop > start || keepEmpty { return UnsafeRawBufferPointer(rebasing: bytes[start..<stop]) }
        }
        return nil
    }
}
