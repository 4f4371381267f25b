// The integer and length-prefix encodings that Argon2 feeds to BLAKE2b (RFC 9106 §3.2).

extension BLAKE2b {
    /// LE32(value), the integer encoding of RFC 9106 §3.2.
    mutating func updateLittleEndian(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { update($0) }
    }

    /// LE32(length(bytes)) || bytes.
    mutating func updateLengthPrefixed(_ bytes: some Collection<UInt8>) {
        updateLittleEndian(UInt32(bytes.count))
        update(bytes)
    }
}
