public import HTTP
public import JSON

/// A handler of a declared operation: its validated parameters and the request context in, a response out.
public typealias OperationHandler = @Sendable (OperationInput, inout RequestContext) throws -> Response

/// A handler of a declared operation with a request body, decoded into `Body` after validation.
public typealias BodyOperationHandler<Body> = @Sendable (Body, OperationInput, inout RequestContext) throws -> Response

/// A handler of a declared operation whose request body is described by a `ModelSchema` built at run time (a
/// resource declared in the configuration): the body as validated and coerced, with defaults filled in.
public typealias JSONBodyOperationHandler = @Sendable (JSONValue, OperationInput, inout RequestContext) throws -> Response

/// The API as declared: every operation with its typed handler, the router that serves them, and the
/// OpenAPI document generated from the same declarations, so the document cannot drift from the code.
public struct API: Sendable {
    /// Title, version and description for the document's `info`.
    public let info: APIInfo
    /// The router serving every operation (plus any undocumented route added with `addUndocumented`).
    public private(set) var router = Router()
    /// The declared operations, in the order added.
    public private(set) var operations: [Operation] = []
    /// Decides the operations' `Access`; set before adding an operation that is not open to anyone.
    private var policy: (any AccessPolicy)?

    /// An API with no operations yet.
    public init(info: APIInfo) {
        self.info = info
    }

    /// Appends `middleware` to the router's chain.
    public mutating func use(_ middleware: any Middleware) {
        router.use(middleware)
    }

    /// Gives errors with a meaning for clients their responses, on immediate and deferred answers alike (`Router.mapErrors`).
    public mutating func mapErrors(_ mapper: @escaping @Sendable (any Error) -> HTTPError?) {
        router.mapErrors(mapper)
    }

    /// Makes `policy` decide the `Access` of the operations added from now on.
    public mutating func authorize(with policy: any AccessPolicy) {
        self.policy = policy
    }

    /// Adds an operation without a request body.
    public mutating func add(_ operation: Operation, handler: @escaping OperationHandler) {
        let specs = operation.parameters, authorize = authorizer(for: operation)
        record(operation)
        router.add(operation.method, operation.path) { request, context in
            let principal = try authorize(request, context)
            var reader = RequestInputReader()
            let values = reader.parameters(specs, of: request, context: context)
            try Self.rejectIfInvalid(reader.validator)
            return try handler(OperationInput(request: request, specs: specs, values: values, principal: principal), &context)
        }
    }

    /// Adds an operation whose request body is a `Body`, validated against `Body.schema` and then decoded.
    public mutating func add<Body: Decodable & Model>(_ operation: Operation, body: Body.Type, encoding: BodyEncoding = .json,
                                                      handler: @escaping BodyOperationHandler<Body>) {
        add(operation, body: Body.schema, encoding: encoding) { value, input, context in
            // Validation produced exactly the schema's shape, so a decoding failure here is a bug in the
            // model's declaration: it becomes a 500 with the error in the log.
            try handler(try JSONValueDecoder().decode(Body.self, from: value), input, &context)
        }
    }

    /// Adds an operation whose request body is described by `model` alone: validated against it, and handed to the
    /// handler as the coerced JSON value.
    public mutating func add(_ operation: Operation, body model: ModelSchema, encoding: BodyEncoding = .json,
                             handler: @escaping JSONBodyOperationHandler) {
        var operation = operation
        let bodySpec = RequestBodySpec(model: encoding == .form ? model.asFormBody : model, encoding: encoding)
        operation.requestBody = bodySpec
        let specs = operation.parameters, authorize = authorizer(for: operation)
        record(operation)
        router.add(operation.method, operation.path) { request, context in
            let principal = try authorize(request, context)
            var reader = RequestInputReader()
            let values = reader.parameters(specs, of: request, context: context)
            let bodyValue = try reader.body(bodySpec, of: request)
            try Self.rejectIfInvalid(reader.validator)
            return try handler(bodyValue, OperationInput(request: request, specs: specs, values: values, principal: principal), &context)
        }
    }

    /// Documents `status` on every operation added so far that `applies` to and that does not document it already: an
    /// answer the edge gives before the handler runs (a rate limit's 429).
    public mutating func documentError(_ status: Status, _ description: String, where applies: (Operation) -> Bool) {
        for index in operations.indices where applies(operations[index]) && !operations[index].responses.contains(where: { $0.status == status.code }) {
            operations[index] = operations[index].error(status, description)
        }
    }

    /// Adds a route that is not part of the document (the docs pages themselves, the WebSocket endpoint).
    public mutating func addUndocumented(_ method: Method, _ path: String, use handler: @escaping Handler) {
        router.add(method, path, use: handler)
    }

    /// The OpenAPI 3.1 document.
    public var document: JSONValue {
        OpenAPIDocument(info: info, operations: operations).json
    }

    /// What checks the caller of `operation`: nothing for `anyone`, else the policy, which must be set by now.
    private func authorizer(for operation: Operation) -> @Sendable (Request, RequestContext) throws -> (any Sendable)? {
        let access = operation.access
        guard access != .anyone else { return { _, _ in nil } }
        guard let policy else { preconditionFailure("\(operation.operationID) declares \(access) but the API has no access policy") }
        return { request, context in try policy.authorize(access, request, context) }
    }

    private mutating func record(_ operation: Operation) {
        precondition(!operations.contains { $0.operationID == operation.operationID }, "operationId \(operation.operationID) used twice")
        operations.append(operation)
    }

    private static func rejectIfInvalid(_ validator: Validator) throws {
        guard !validator.issues.isEmpty else { return }
        throw HTTPError(.unprocessableContent, detail: .array(validator.issues.map(\.json)))
    }
}
