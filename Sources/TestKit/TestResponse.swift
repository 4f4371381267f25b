/// One HTTP response as a test client read it off the wire.
public struct TestResponse: Sendable, Equatable, CustomStringConvertible {
    /// The status code.
    public var status: Int
    /// Header fields in order, names lowercased.
    public var headers: [HeaderField]
    /// The body, de-chunked when it was chunked.
    public var body: [UInt8]

    /// A header field; the name is lowercased.
    public struct HeaderField: Sendable, Equatable {
        /// The lowercased field name.
        public var name: String
        /// The value, trimmed.
        public var value: String
    }

    /// The first value of the field `name` (any case), or nil.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name == lowered }?.value
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    public var description: String { "\(status) \(headers.map { "\($0.name): \($0.value)" }) \(text.prefix(200))" }
}
