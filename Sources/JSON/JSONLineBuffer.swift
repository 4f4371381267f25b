/// A growable byte buffer for JSON Lines on a hot path (the access log), written through a raw pointer.
///
/// The caller reserves room for a whole line once, with ``reserve(_:)`` and the `…Bound` helpers, and
/// then writes its pieces; a write checks nothing, which is what makes it cheaper than appending to an
/// array piece by piece. Writing more than was reserved is a programming error.
/// ```swift
/// buffer.reserve(32 + JSONLineBuffer.quotedByteCountBound(path))
/// buffer.append(#"{"path":"#); buffer.appendQuoted(path); buffer.append("}\n")
/// ```
///
/// The writes are `@inlinable`: inlined where a line is put together, a piece of known length is copied in a
/// few moves instead of a call to `memcpy`, and no call is made per piece.
public struct JSONLineBuffer: ~Copyable {
    // Visible to the inlined writes; only this file's code changes them.
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var written = 0

    /// The bytes written since the last ``removeAll()``.
    @inlinable public var count: Int { written }

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
    @inlinable @inline(__always)
    public mutating func reserve(_ byteCount: Int) {
        if written + byteCount > capacity { grow(toHold: byteCount) }
    }

    /// Moves the bytes to a buffer with room for `byteCount` more: out of line, as growing is rare.
    @usableFromInline
    mutating func grow(toHold byteCount: Int) {
        let grown = max(capacity * 2, written + byteCount)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        newBase.update(from: base, count: written)
        base.deallocate()
        base = newBase
        capacity = grown
    }

    /// Writes `text` as it is: JSON punctuation and member names that need no escaping.
    @inlinable @inline(__always)
    public mutating func append(_ text: StaticString) {
        let length = text.utf8CodeUnitCount
        (base + written).update(from: text.utf8Start, count: length)
        written += length
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
        base[written] = .quote
        written += 1
        var runStart = copyPlainWords(of: utf8)
        while runStart < utf8.count {
            let index = JSONText.firstByteNeedingEscape(in: utf8, from: runStart)
            if index > runStart {
                (base + written).update(from: utf8.baseAddress! + runStart, count: index - runStart)
                written += index - runStart
            }
            guard index < utf8.count else { break }
            written += JSONText.writeEscape(for: utf8[index], to: base + written)
            runStart = index + 1
        }
        base[written] = .quote
        written += 1
    }

    /// Copies the leading words of `utf8` that need no escaping, eight bytes a load and a store, and returns how
    /// many bytes it copied. A string of eight bytes or more that needs no escaping (request ids, paths, client
    /// addresses) is copied whole: its tail is the last eight bytes, loaded over bytes already copied. The room
    /// reserved for a quoted string (``quotedByteCountBound(_:)``) holds every store.
    private mutating func copyPlainWords(of utf8: UnsafeBufferPointer<UInt8>) -> Int {
        guard utf8.count >= 8, let source = UnsafeRawPointer(utf8.baseAddress) else { return 0 }
        let output = UnsafeMutableRawPointer(base + written)
        var copied = 0
        while copied < utf8.count {
            let offset = min(copied, utf8.count - 8)
            let word = source.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            guard !word.hasByteNeedingEscape else { break }
            output.storeBytes(of: word, toByteOffset: offset, as: UInt64.self)
            copied = offset + 8
        }
        written += copied
        return copied
    }

    /// Appends `bytes` as they are, read in place: JSON text made once and kept, such as a field whose value
    /// never changes.
    @inlinable @inline(__always)
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress else { return }   // empty
        (base + written).update(from: start, count: bytes.count)
        written += bytes.count
    }

    /// Writes `value` in decimal.
    @inlinable @inline(__always)
    public mutating func appendInteger(_ value: Int) {
        if value < 0 {
            base[written] = UInt8(ascii: "-")
            written += 1
        }
        written += JSONText.writeDecimal(UInt64(value.magnitude), to: base + written)
    }

    /// Writes `units / 10^fractionDigits` with exactly `fractionDigits` digits after the point, as
    /// `JSONWriter.writeFixedPoint` does.
    @inlinable @inline(__always)
    public mutating func appendFixedPoint(_ units: Int, fractionDigits: Int) {
        if units < 0 {
            base[written] = UInt8(ascii: "-")
            written += 1
        }
        written += JSONText.writeFixedPoint(units.magnitude, fractionDigits: fractionDigits, to: base + written)
    }

    /// Lets `body` write bytes in place, within the room reserved; it returns how many it wrote.
    @inlinable @inline(__always)
    public mutating func appendInPlace(_ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        written += body(base + written)
    }

    /// The bytes written so far.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: written))
    }

    /// Forgets the bytes written, keeping the memory.
    @inlinable @inline(__always)
    public mutating func removeAll() {
        written = 0
    }
}
