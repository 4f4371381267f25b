/// The declared request body of an operation: its model and encoding.
public struct RequestBodySpec: Sendable {
    /// The body's model.
    public let model: ModelSchema
    /// How it is encoded.
    public let encoding: BodyEncoding
}
