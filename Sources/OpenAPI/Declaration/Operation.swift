public import HTTP

/// The declaration of one operation: method, path template, documentation, typed parameters, request
/// body, responses and security. The same declaration drives validation and `/openapi.json`.
///
/// ```swift
/// let readUser = Operation(.get, "/users/{user_id}", id: "read_user", summary: "Read a user", tags: ["users"])
///     .parameter(Self.userID)
///     .response(.ok, UserPublic.self)
///     .error(.notFound, "The user does not exist")
///     .secured()
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

    /// Documents an error response with FastAPI's `{"detail": "..."}` body.
    public func error(_ status: Status, _ description: String) -> Operation {
        adding(ResponseSpec(status: status.code, description: description, mediaType: "application/json", schema: .model(ErrorMessage.self)))
    }

    /// Marks the operation as needing a bearer token with `scopes`, and documents the 401 it answers without one.
    public func secured(scopes: [String] = []) -> Operation {
        var copy = error(.unauthorized, "Missing, invalid, expired or revoked token")
        copy.requiredScopes = scopes
        return copy
    }

    private func adding(_ response: ResponseSpec) -> Operation {
        var copy = self
        copy.responses.removeAll { $0.status == response.status }
        copy.responses.append(response)
        return copy
    }
}
