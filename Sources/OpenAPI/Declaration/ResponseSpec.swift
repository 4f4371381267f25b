/// One documented response of an operation.
public struct ResponseSpec: Sendable {
    /// The status code.
    public let status: Int
    /// What the response means.
    public let description: String
    /// The body's media type, or nil for no body.
    public let mediaType: String?
    /// The body's schema, when it is JSON.
    public let schema: Schema?
}
