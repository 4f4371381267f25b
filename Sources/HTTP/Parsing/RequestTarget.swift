/// Splits a request target into path and query and checks the path is safe to route (RFC 3986).
///
/// The path is kept percent-encoded; each segment is decoded exactly once when it is matched.
/// Refused with 400: malformed percent escapes (§2.1), a segment that is `.` or `..` once decoded
/// (so `%2e%2e` cannot climb, §5.2.4), and escapes that decode to invalid UTF-8 (RFC 3629 §3: overlong `%c0%ae`).
public struct RequestTarget: Sendable, Equatable {
    /// The path, percent-encoded as sent, always starting with `/` (`*` for OPTIONS *).
    public let path: String
    /// The query without the `?`, percent-encoded as sent; empty when there is none.
    public let query: String

    /// Parses the target bytes of a request head.
    public init(_ target: UnsafeRawBufferPointer) throws(ParseError) {
        let pathStart = target.first == UInt8(ascii: "/") || target.first == UInt8(ascii: "*")
            ? 0 : (Self.absoluteFormPathStart(target) ?? target.count)
        let rest = UnsafeRawBufferPointer(rebasing: target[pathStart...])
        let questionMark = rest.firstIndex(of: UInt8(ascii: "?")) ?? rest.count
        let pathBytes = UnsafeRawBufferPointer(rebasing: rest[..<questionMark])
        try Self.validate(path: pathBytes)
        path = pathBytes.isEmpty ? "/" : String(decoding: pathBytes, as: UTF8.self)
        query = questionMark < rest.count ? String(decoding: rest[(questionMark + 1)...], as: UTF8.self) : ""
    }

    /// Where the path of an absolute-form target (`http://host/path`) starts, or nil if it is not one.
    static func absoluteFormPathStart(_ target: UnsafeRawBufferPointer) -> Int? {
        let schemeLength: Int
        if target.count > 7 && ASCII.equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: target[..<7]), "http://") {
            schemeLength = 7
        } else if target.count > 8 && ASCII.equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: target[..<8]), "https://") {
            schemeLength = 8
        } else {
            return nil
        }
        let authorityEnd = target[schemeLength...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? target.count
        return authorityEnd > schemeLength ? authorityEnd : nil
    }

    private static func validate(path: UnsafeRawBufferPointer) throws(ParseError) {
        var segmentStart = 0
        for index in 0...path.count where index == path.count || path[index] == UInt8(ascii: "/") {
            let segment = UnsafeRawBufferPointer(rebasing: path[segmentStart..<index])
            segmentStart = index + 1
            guard let decoded = try percentDecoded(segment) else {
                if isDotSegment(segment) { throw .bad("Invalid path") }
                continue
            }
            if isDotSegment(decoded) { throw .bad("Invalid path") }
        }
    }

    /// The decoded bytes of `segment`, or nil when it has no escapes (the common case, decoded for free).
    static func percentDecoded(_ segment: some Collection<UInt8>) throws(ParseError) -> [UInt8]? {
        guard segment.contains(UInt8(ascii: "%")) else { return nil }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(segment.count)
        var iterator = segment.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { decoded.append(byte); continue }
            guard let high = iterator.next().flatMap(ASCII.hexValue), let low = iterator.next().flatMap(ASCII.hexValue) else {
                throw .bad("Invalid percent-encoding in path")
            }
            decoded.append(high << 4 | low)
        }
        guard String(validating: decoded, as: UTF8.self) != nil else { throw .bad("Invalid UTF-8 in path") }
        return decoded
    }

    private static func isDotSegment(_ segment: some Collection<UInt8>) -> Bool {
        segment.elementsEqual(".".utf8) || segment.elementsEqual("..".utf8)
    }
}
