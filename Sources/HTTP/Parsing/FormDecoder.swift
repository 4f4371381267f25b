/// Decodes `application/x-www-form-urlencoded` text: query strings and form bodies (WHATWG URL §5.1).
public enum FormDecoder {
    /// The name/value pairs of `text`, decoded; a malformed escape is kept literally, as browsers do.
    public static func pairs(_ text: some StringProtocol) -> [(name: String, value: String)] {
        guard !text.isEmpty else { return [] }
        return text.utf8.split(separator: UInt8(ascii: "&")).map { pair in
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    private static func decode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            index = bytes.index(after: index)
            if byte == UInt8(ascii: "+") { output.append(ASCII.space); continue }
            guard byte == UInt8(ascii: "%"), let (value, next) = escape(in: bytes, at: index) else { output.append(byte); continue }
            output.append(value)
            index = next
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func escape<C: Collection<UInt8>>(in bytes: C, at index: C.Index) -> (UInt8, C.Index)? {
        guard index != bytes.endIndex, let high = ASCII.hexValue(bytes[index]) else { return nil }
        let second = bytes.index(after: index)
        guard second != bytes.endIndex, let low = ASCII.hexValue(bytes[second]) else { return nil }
        return (high << 4 | low, bytes.index(after: second))
    }
}
