public import HTTP
import JSON

/// The validated parameters of one request, read by the handler through their declarations, and the
/// request itself for what is not a declared parameter (the `Authorization` header, the client's proxies).
public struct OperationInput: Sendable {
    /// The request as received.
    public let request: Request
    /// Who is calling, as the `AccessPolicy` admitted them for the operation's `Access` (nil for nobody).
    public let principal: (any Sendable)?
    private let specs: [ParameterSpec]
    private let values: [JSONValue]

    init(request: Request, specs: [ParameterSpec], values: [JSONValue], principal: (any Sendable)?) {
        self.request = request
        self.specs = specs
        self.values = values
        self.principal = principal
    }

    /// The value of `parameter`, validated and converted; the parameter must be declared on the operation.
    public subscript<Value>(_ parameter: Parameter<Value>) -> Value {
        guard let index = specs.firstIndex(where: { $0.name == parameter.spec.name && $0.location == parameter.spec.location }) else {
            preconditionFailure("parameter \(parameter.spec.name) is not declared on this operation")
        }
        return Value(validated: values[index])
    }
}
