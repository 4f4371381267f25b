/// How a request body is encoded on the wire.
public enum BodyEncoding: Sendable {
    /// `application/json` (also `application/*+json`, and a body sent with no Content-Type, as FastAPI accepts).
    case json
    /// `application/x-www-form-urlencoded`, as OAuth2's token endpoint requires (RFC 6749 §4.3.2).
    case form

    /// The media type the document names.
    public var mediaType: String {
        switch self {
        case .json: "application/json"
        case .form: "application/x-www-form-urlencoded"
        }
    }
}
