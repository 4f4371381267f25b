public import HTTP

/// Who may call an operation: declared once on the `Operation`, enforced by the `API` before the handler runs (and
/// before its input is validated, as FastAPI resolves its security dependencies first), and documented from the same
/// value (the 401 and 403 answers, the security requirement).
public enum Access: Sendable, Equatable {
    /// Anyone; a token is not looked at.
    case anyone
    /// Anyone, but a token that is sent must be valid: the handler sees its caller, or none.
    case optionalToken
    /// A valid token.
    case token
    /// A valid token of an admin.
    case admin
    /// A valid token carrying the scope.
    case scope(String)
    /// A valid token of the user the path parameter names, or of an admin.
    case subjectOrAdmin(parameter: String)

    /// The id the path parameter `name` holds, read exactly as validation will read it (`" 1"`, `"+1"` and `"1.0"`
    /// are all 1), so that a `subjectOrAdmin` check and the handler see the same user; nil when it is no integer
    /// (validation then answers 422 and the handler never runs).
    public static func subjectID(_ name: String, in context: RequestContext) -> Int64? {
        context.pathParameter(name).flatMap(LaxNumber.integer)
    }

    /// Whether a valid token is needed (so the operation answers 401 without one).
    var needsToken: Bool {
        switch self {
        case .anyone, .optionalToken: false
        case .token, .admin, .scope, .subjectOrAdmin: true
        }
    }

    /// Whether a valid token may still be refused (403).
    var mayForbid: Bool {
        switch self {
        case .anyone, .optionalToken, .token: false
        case .admin, .scope, .subjectOrAdmin: true
        }
    }
}
