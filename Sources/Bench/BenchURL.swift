/// The target of a bench run: an `http://host[:port][/path][?query]` URL, split into what a request needs.
public struct BenchURL: Equatable, Sendable, CustomStringConvertible {
    /// The host to connect to, without brackets for IPv6 literals.
    public let host: String
    /// The TCP port (80 when the URL names none).
    public let port: Int
    /// The request target: the path and query, `/` when the URL has no path.
    public let target: String
    /// The `Host` header: the authority as written in the URL.
    public let authority: String

    /// Parses `text`; throws `.usage` naming what is wrong. Only `http` is spoken: TLS belongs to the proxy in front.
    public init(parsing text: String) throws(BenchError) {
        guard let schemeEnd = text.firstRange(of: "://") else {
            throw .usage("malformed URL '\(text)': expected http://HOST[:PORT]/PATH")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        if scheme == "https" { throw .usage("https is not supported by api bench; benchmark the plain http:// port behind the TLS proxy") }
        guard scheme == "http" else { throw .usage("unsupported URL scheme '\(scheme)'; use http://") }
        let rest = text[schemeEnd.upperBound...]
        let pathStart = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = String(rest[..<pathStart])
        let path = String(rest[pathStart...])
        guard !authority.isEmpty, !authority.contains("@") else { throw .usage("malformed URL '\(text)': missing or invalid host") }
        guard path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") }) else {
            throw .usage("malformed URL '\(text)': the path must be printable ASCII without spaces or a fragment")
        }
        (host, port) = try Self.splitAuthority(authority, in: text)
        self.authority = authority
        target = path.hasPrefix("/") ? path : "/" + path
    }

    public var description: String { "http://\(authority)\(target)" }

    private static func splitAuthority(_ authority: String, in text: String) throws(BenchError) -> (String, Int) {
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .usage("malformed URL '\(text)': unclosed '['") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .usage("malformed URL '\(text)': unexpected text after ']'") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .usage("malformed URL '\(text)': invalid host") }
        guard let portText else { return (host, 80) }
        guard portText.allSatisfy({ ("0"..."9").contains($0) }), let port = Int(portText), (1...65535).contains(port) else {
            throw .usage("malformed URL '\(text)': the port must be a number in 1...65535")
        }
        return (host, port)
    }
}
