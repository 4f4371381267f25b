/// Base64url without padding (RFC 4648 §5), the encoding of every JWS segment (RFC 7515 §2).
public enum Base64URL {
    /// The unpadded base64url encoding of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        bytes.withContiguousBytes(Base64Codec.url.encode)
    }

    /// The bytes that `text` encodes, or `nil` unless `text` is canonical: URL alphabet only, no
    /// `=`, no whitespace, length not 1 mod 4, and zero bits after the last byte (RFC 4648 §3.5).
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        text.utf8.withContiguousBytes(Base64Codec.url.decode)
    }

    /// Like `decode(_:)`, for text already in a buffer (a token segment), without a copy.
    public static func decode(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        Base64Codec.url.decode(text)
    }

    /// Like `decode(_:)`, into the start of `output` instead of a new array; `output` must have room
    /// for `text.count * 3 / 4` bytes. Returns the number of bytes written, or `nil` unless `text`
    /// is canonical. Allocates nothing.
    package static func decode(_ text: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        Base64Codec.url.decode(text, into: output)
    }
}
