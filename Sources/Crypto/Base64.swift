/// Base64 with the standard alphabet and `=` padding (RFC 4648 §4), as `Sec-WebSocket-Key` and
/// `Sec-WebSocket-Accept` use it (RFC 6455 §4.2.2).
public enum Base64 {
    /// The padded encoding of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        bytes.withContiguousBytes(Base64Codec.standard.encode)
    }

    /// The bytes that `text` encodes, or `nil` unless `text` is canonical padded base64: correct
    /// length and padding, no whitespace, and zero bits after the last byte (RFC 4648 §3.5).
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        text.utf8.withContiguousBytes(Base64Codec.standard.decode)
    }
}
