/// A complete request: its head bytes (copied once out of the read buffer), routing facts and body.
public struct Request: Sendable {
    /// The request method.
    public let method: Method
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public let minorVersion: Int
    /// The path, percent-encoded as sent (see `RequestTarget`).
    public let path: String
    /// The raw query string without `?`.
    public let query: String
    /// The body bytes (de-chunked).
    public var body: [UInt8]
    private let head: [UInt8]
    private let fields: [HeaderField]

    /// Builds a request from a parsed head, its bytes and a body.
    public init(head parsed: RequestHead, headBytes: [UInt8], target: RequestTarget, body: [UInt8]) {
        method = parsed.method
        minorVersion = parsed.minorVersion
        path = target.path
        query = target.query
        self.body = body
        head = headBytes
        fields = parsed.fields
    }

    /// The value of the first field named `name` (case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        guard let field = fields.first(where: { matches($0, name) }) else { return nil }
        return value(of: field)
    }

    /// The values of every field named `name`, in order.
    public func headers(_ name: String) -> [String] {
        fields.filter { matches($0, name) }.map(value(of:))
    }

    /// Every header field as (name, value), in order; names as sent.
    public var allHeaders: [(name: String, value: String)] {
        fields.map { field in
            (String(decoding: head[Int(field.nameStart)..<Int(field.nameEnd)], as: UTF8.self), value(of: field))
        }
    }

    /// The query parameters, percent-decoded (`+` is a space, as in HTML forms), in order.
    public var queryItems: [(name: String, value: String)] {
        FormDecoder.pairs(query)
    }

    private func matches(_ field: HeaderField, _ name: String) -> Bool {
        let length = Int(field.nameEnd - field.nameStart)
        guard length == name.utf8.count else { return false }
        var offset = Int(field.nameStart)
        for byte in name.utf8 {
            if ASCII.lowercased(head[offset]) != ASCII.lowercased(byte) { return false }
            offset += 1
        }
        return true
    }

    private func value(of field: HeaderField) -> String {
        String(decoding: head[Int(field.valueStart)..<Int(field.valueEnd)], as: UTF8.self)
    }
}
