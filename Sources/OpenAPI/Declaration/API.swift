public import HTTP
public import JSON

/// A handler of a declared operation: its validated parameters and the request context in, a response out.
public typealias OperationHandler = @Sendable (OperationInput, inout RequestContext) throws -> Response

/// A handler of a declared operation with a request body, decoded into `Body` after validation.
public typealias BodyOperationHandler<Body> = @Sendable (Body, OperationInput, inout RequestContext) throws -> Response

/// The API as declared: every operation with its typed handler, the router that serves them, and the
/// OpenAPI document generated from the same declarations, so the document cannot drift from the code.
public struct API: Sendable {
    /// Title, version and description for the document's `info`.
    public let info: APIInfo
    /// The router serving every operation (plus any undocumented route added with `addUndocumented`).
    public private(set) var router = Router()
    /// The declared operations, in the order added.
    public private(set) var operations: [Operation] = []

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

    /// Adds an operation without a request body.
    public mutating func add(_ operation: Operation, handler: @escaping OperationHandler) {
        let specs = operation.parameters
        record(operation)
        router.add(operation.method, operation.path) { request, context in
            var reader = RequestInputReader()
            let values = reader.parameters(specs, of: request, context: context)
            try Self.rejectIfInvalid(reader.validator)
            return try handler(OperationInput(request: request, specs: specs, values: values), &context)
        }
    }

    /// Adds an operation whose request body is a `Body`, validated against `Body.schema` and then decoded.
    public mutating func add<Body: Decodable & Model>(_ operation: Operation, body: Body.Type, encoding: BodyEncoding = .json,
                                                      handler: @escaping BodyOperationHandler<Body>) {
        var operation = operation
        let bodySpec = RequestBodySpec(model: encoding == .form ? Body.schema.asFormBody : Body.schema,
                                       encoding: encoding)
        operation.requestBody = bodySpec
        let specs = operation.parameters
        record(operation)
        router.add(operation.method, operation.path) { request, context in
            var reader = RequestInputReader()
            let values = reader.parameters(specs, of: request, context: context)
            let bodyValue = try reader.body(bodySpec, of: request)
            try Self.rejectIfInvalid(reader.validator)
            // Validation produced exactly the schema's shape, so a decoding failure here is a bug in the
            // model's declaration: it becomes a 500 with the error in the log.
            let decoded = try JSONValueDecoder().decode(Body.self, from: bodyValue)
            return try handler(decoded, OperationInput(request: request, specs: specs, values: values), &context)
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

    private mutating func record(_ operation: Operation) {
        precondition(!operations.contains { $0.operationID == operation.operationID }, "operationId \(operation.operationID) used twice")
        operations.append(operation)
    }

    private static func rejectIfInvalid(_ validator: Validator) throws {
        guard !validator.issues.isEmpty else { return }
        throw HTTPError(.unprocessableContent, detail: .array(validator.issues.map(\.json)))
    }
}
