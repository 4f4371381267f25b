import HTTP
import JSON

/// Reads an operation's declared inputs out of a request: parameters from the path, query and headers,
/// and the body by its encoding, validating all of them and collecting every problem, as FastAPI does
/// (path, query and header problems first, then the body's).
struct RequestInputReader {
    var validator = Validator()

    /// The validated parameter values, in declaration order (the input itself where validation failed).
    mutating func parameters(_ specs: [ParameterSpec], of request: Request, context: RequestContext) -> [JSONValue] {
        guard !specs.isEmpty else { return [] }
        let query = specs.contains { $0.location == .query } ? request.queryItems : []
        return specs.map { spec in
            let location: [JSONValue] = [.string(spec.location.rawValue), .string(spec.name)]
            guard let raw = Self.raw(spec, request, context, query) else {
                if let defaultValue = spec.defaultValue { return defaultValue }
                validator.report(ValidationIssue(type: "missing", location: location, message: "Field required", input: .null))
                return .null
            }
            return validator.validate(.string(raw), against: spec.schema, at: location)
        }
    }

    /// The validated body. An empty body is no body, whatever its Content-Type, as in FastAPI. Throws at
    /// once for a body in another media type (415, where FastAPI would report the raw text as not an object)
    /// and for malformed JSON (422 `json_invalid` alone, as FastAPI reports it before anything else).
    mutating func body(_ spec: RequestBodySpec, of request: Request) throws -> JSONValue {
        let contentType = request.header("content-type")
        switch spec.encoding {
        case .json:
            guard !request.body.isEmpty else {
                validator.report(ValidationIssue(type: "missing", location: ["body"], message: "Field required", input: .null))
                return .null
            }
            guard MediaType.isJSON(contentType) else { throw Self.unsupported(spec.encoding) }
            let value = try JSONBodyParser.parse(request.body)
            return validator.validateModel(value, spec.model, at: ["body"])
        case .form:
            guard request.body.isEmpty || MediaType.isForm(contentType) else { throw Self.unsupported(spec.encoding) }
            return validateForm(String(decoding: request.body, as: UTF8.self), spec.model)
        }
    }

    /// Form fields are validated one by one, as FastAPI does: an absent or empty field is missing (input
    /// `null`) or takes its default; the last of repeated fields counts.
    private mutating func validateForm(_ text: String, _ model: ModelSchema) -> JSONValue {
        let pairs = FormDecoder.pairs(text)
        var members: [JSONMember] = []
        for property in model.properties {
            let location: [JSONValue] = ["body", .string(property.name)]
            let raw = pairs.last { $0.name == property.name }?.value
            if let raw, !raw.isEmpty {
                members.append(JSONMember(key: property.name, value: validator.validate(.string(raw), against: property.schema, at: location)))
            } else if let defaultValue = property.defaultValue {
                members.append(JSONMember(key: property.name, value: defaultValue))
            } else if !property.isOmittable {
                validator.report(ValidationIssue(type: "missing", location: location, message: "Field required", input: .null))
            }
        }
        return .object(JSONObject(members))
    }

    private static func raw(_ spec: ParameterSpec, _ request: Request, _ context: RequestContext,
                            _ query: [(name: String, value: String)]) -> String? {
        switch spec.location {
        case .path: context.pathParameter(spec.name)
        case .query: query.last { $0.name == spec.name }?.value
        case .header: request.header(spec.name)
        }
    }

    private static func unsupported(_ encoding: BodyEncoding) -> HTTPError {
        HTTPError(.unsupportedMediaType, detail: "Unsupported Media Type: the body must be \(encoding.mediaType)")
    }
}
