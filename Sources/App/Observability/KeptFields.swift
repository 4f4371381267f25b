import JSON

/// Pieces of JSON made once and appended to many lines (the access log's method and route fields), kept in one
/// byte array by a small integer key. Appending one reads that array in place: an array per piece would be
/// retained and released at every use.
struct KeptFields {
    private var bytes: [UInt8] = []
    private var ranges: [Range<Int>?] = []

    /// Whether `key` has a field.
    func contains(_ key: Int) -> Bool {
        key < ranges.count && ranges[key] != nil
    }

    /// Keeps `field` as the field of `key`, in place of any it had.
    mutating func set(_ key: Int, _ field: [UInt8]) {
        if key >= ranges.count { ranges += repeatElement(nil, count: key - ranges.count + 1) }
        ranges[key] = bytes.count..<(bytes.count + field.count)
        bytes += field
    }

    /// Appends the field of `key`, which must have one.
    func append(_ key: Int, to line: inout JSONLineBuffer) {
        guard let range = ranges[key] else { preconditionFailure("no field kept for \(key)") }
        bytes.withUnsafeBufferPointer { line.append(UnsafeBufferPointer(rebasing: $0[range])) }
    }
}
