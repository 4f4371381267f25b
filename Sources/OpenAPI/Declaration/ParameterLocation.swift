/// Where a parameter is read from; its raw value names the `in` of OpenAPI and the first `loc` element.
public enum ParameterLocation: String, Sendable {
    /// A segment of the path template (`/users/{user_id}`); always required.
    case path
    /// A query string item; when repeated, the last one counts, as in FastAPI.
    case query
    /// A request header field, matched case-insensitively.
    case header
}
