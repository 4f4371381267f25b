public import HTTP

/// The declaration of one operation: method, path template, documentation, typed parameters, request
/// body, responses and security. The same declaration drives validation and `/openapi.json`.
///
/// ```swift
/// let readUser = Operation(.get, "/users/{user_id}", id: "read_user", summary: "Read a user", tags: ["users"])
///     .parameter(Self.userID)
///     .response(.ok, UserPublic.self)
///     .error(.notFound, "The user does not exist")
///     .access(.subjectOrAdmin(parameter: "user_id"))
/// ```
public struct Operation: Sendable {
    /// The method.
    public let method: Method
    /// The path template, with `{name}` for path parameters.
    public let path: String
    /// The unique `operationId`.
    public let operationID: String
    /// A one-line summary.
    public let summary: String?
    /// A longer description.
    public let description: String?
    /// Groups in the docs pages.
    public let tags: [String]
    /// The parameters, in declaration order.
    public private(set) var parameters: [ParameterSpec] = []
    /// The request body, set when the operation is added with a body type.
    public internal(set) var requestBody: RequestBodySpec?
    /// The documented responses, in declaration order.
    public private(set) var responses: [ResponseSpec] = []
    /// The OAuth2 scopes required, or nil when the operation needs no token.
    public private(set) var requiredScopes: [String]?
    /// Who may call the operation.
    public private(set) var access = Access.anyone

    /// An operation with no parameters and no responses yet.
    public init(_ method: Method, _ path: String, id: String, summary: String? = nil, description: String? = nil, tags: [String] = []) {
        self.method = method
        self.path = path
        operationID = id
        self.summary = summary
        self.description = description
        self.tags = tags
    }

    /// Adds a parameter; a path parameter's name must be in the path template.
    public func parameter<Value>(_ parameter: Parameter<Value>) -> Operation {
        let spec = parameter.spec
        precondition(spec.location != .path || path.contains("{\(spec.name)}"), "\(path) has no {\(spec.name)}")
        var copy = self
        copy.parameters.append(spec)
        return copy
    }

    /// Documents a JSON response whose body is `model`.
    public func response(_ status: Status, _ model: any Model.Type, description: String? = nil) -> Operation {
        adding(ResponseSpec(status: status.code, description: description ?? "Successful Response", mediaType: "application/json",
                            schema: .model(model)))
    }

    /// Documents a JSON response whose body matches `schema`.
    public func response(_ status: Status, schema: Schema, description: String? = nil) -> Operation {
        adding(ResponseSpec(status: status.code, description: description ?? "Successful Response", mediaType: "application/json",
                            schema: schema))
    }

    /// Documents a response with no body (204) or a non-JSON body of `mediaType`.
    public func response(_ status: Status, description: String, mediaType: String? = nil) -> Operation {
        adding(ResponseSpec(status: status.code, description: description, mediaType: mediaType, schema: mediaType == nil ? nil : .string()))
    }

    /// Documents an error response whose body lists problems as a 422 does, `{"detail": [{"type", "loc", "msg"}...]}`:
    /// for answers that must say where in the body the problem is (a batch's failing item).
    public func problems(_ status: Status, _ description: String) -> Operation {
        adding(ResponseSpec(status: status.code, description: description, mediaType: "application/json", schema: .model(HTTPValidationError.self)))
    }

    /// Documents an error response with FastAPI's `{"detail": "..."}` body.
    public func error(_ status: Status, _ description: String) -> Operation {
        adding(ResponseSpec(status: status.code, description: description, mediaType: "application/json", schema: .model(ErrorMessage.self)))
    }

    /// Declares who may call the operation (`Access`), enforced by the `API`. Documents what that implies and was not
    /// documented already: the 401 without a valid token, the 403 for a caller the rule refuses, and the token (with
    /// its scope) as the security requirement.
    public func access(_ access: Access) -> Operation {
        var copy = self
        copy.access = access
        if access.needsToken {
            if !copy.responses.contains(where: { $0.status == 401 }) { copy = copy.error(.unauthorized, "Missing, invalid, expired or revoked token") }
            if case .scope(let scope) = access { copy.requiredScopes = [scope] } else { copy.requiredScopes = [] }
        }
        if access.mayForbid && !copy.responses.contains(where: { $0.status == 403 }) {
            copy = copy.error(.forbidden, "Not enough permissions")
        }
        return copy
    }

    private func adding(_ response: ResponseSpec) -> Operation {
        var copy = self
        copy.responses.removeAll { $0.status == response.status }
        copy.responses.append(response)
        return copy
    }
}
