/// A growable byte buffer for JSON Lines on a hot path (the access log), written through a raw pointer.
///
/// The caller reserves room for a whole line once, with ``reserve(_:)`` and the `…Bound` helpers, and
/// then writes its pieces; a write checks nothing, which is what makes it cheaper than appending to an
/// array piece by piece. Writing more than was reserved is a programming error.
/// ```swift
/// buffer.reserve(32 + JSONLineBuffer.quotedByteCountBound(path))
/// buffer.append(#"{"path":"#); buffer.appendQuoted(path); buffer.append("}\n")
/// ```
public struct JSONLineBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The bytes written since the last ``removeAll()``.
    public private(set) var count = 0

    /// An empty buffer with room for `capacity` bytes before it grows.
    public init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// The most bytes ``appendQuoted(_:)`` writes for `string`.
    public static func quotedByteCountBound(_ string: String) -> Int {
        string.utf8.count * JSONText.maximumEscapeExpansion + 2
    }

    /// The most bytes ``appendInteger(_:)`` and ``appendFixedPoint(_:fractionDigits:)`` write.
    public static let numberByteCountBound = JSONText.maximumFixedPointByteCount + 1

    /// Makes room for `byteCount` more bytes, growing the buffer if needed.
    public mutating func reserve(_ byteCount: Int) {
        guard count + byteCount > capacity else { return }
        let grown = max(capacity * 2, count + byteCount)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = grown
    }

    /// Writes `text` as it is: JSON punctuation and member names that need no escaping.
    public mutating func append(_ text: StaticString) {
        let length = text.utf8CodeUnitCount
        (base + count).update(from: text.utf8Start, count: length)
        count += length
    }

    /// Writes `string` as a JSON string, quoted and escaped as `JSONWriter.writeString` does.
    public mutating func appendQuoted(_ string: String) {
        // Read in place, not through a copy of the string (a retain and a release per call); a string that is
        // not contiguous UTF-8 (bridged, or lazily transcoded) is the rare case.
        if string.utf8.withContiguousStorageIfAvailable({ appendQuoted(utf8: $0) }) == nil {
            let copy = ContiguousArray(string.utf8)
            copy.withUnsafeBufferPointer { appendQuoted(utf8: $0) }
        }
    }

    private mutating func appendQuoted(utf8: UnsafeBufferPointer<UInt8>) {
        base[count] = .quote
        count += 1
        var runStart = 0
        while true {
            let index = JSONText.firstByteNeedingEscape(in: utf8, from: runStart)
            if index > runStart {
                (base + count).update(from: utf8.baseAddress! + runStart, count: index - runStart)
                count += index - runStart
            }
            guard index < utf8.count else { break }
            count += JSONText.writeEscape(for: utf8[index], to: base + count)
            runStart = index + 1
        }
        base[count] = .quote
        count += 1
    }

    /// Appends `bytes` as they are: JSON text made once and kept, such as a field whose value never changes.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { bytes in
            guard let start = bytes.baseAddress else { return }   // empty
            (base + count).update(from: start, count: bytes.count)
        }
        count += bytes.count
    }

    /// Writes `value` in decimal.
    public mutating func appendInteger(_ value: Int) {
        if value < 0 {
            base[count] = .minus
            count += 1
        }
        count += JSONText.writeDecimal(UInt64(value.magnitude), to: base + count)
    }

    /// Writes `units / 10^fractionDigits` with exactly `fractionDigits` digits after the point, as
    /// `JSONWriter.writeFixedPoint` does.
    public mutating func appendFixedPoint(_ units: Int, fractionDigits: Int) {
        if units < 0 {
            base[count] = .minus
            count += 1
        }
        count += JSONText.writeFixedPoint(units.magnitude, fractionDigits: fractionDigits, to: base + count)
    }

    /// Lets `body` write bytes in place, within the room reserved; it returns how many it wrote.
    public mutating func appendInPlace(_ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        count += body(base + count)
    }

    /// The bytes written so far.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Forgets the bytes written, keeping the memory.
    public mutating func removeAll() {
        count = 0
    }
}
