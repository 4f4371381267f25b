import JSON

/// Writes the OpenAPI 3.1 document of a list of operations, in the shapes FastAPI produces, so that tools
/// and clients built for the FastAPI app read it the same way.
struct OpenAPIDocument {
    /// The security scheme every secured operation refers to, named as FastAPI's `OAuth2PasswordBearer`.
    static let securitySchemeName = "OAuth2PasswordBearer"

    let info: APIInfo
    let operations: [Operation]

    var json: JSONValue {
        var components = ComponentCollector()
        var paths = JSONObject()
        for operation in operations {
            let item = operationObject(operation, &components)
            var pathItem = paths[operation.path]?.objectValue ?? [:]
            pathItem[operation.method.name.lowercased()] = .object(item)
            paths[operation.path] = .object(pathItem)
        }
        var componentsObject: JSONObject = ["schemas": .object(components.schemas)]
        if operations.contains(where: { $0.requiredScopes != nil }) {
            componentsObject["securitySchemes"] = .object([Self.securitySchemeName: securityScheme])
        }
        var infoObject: JSONObject = ["title": .string(info.title), "version": .string(info.version)]
        if let description = info.description { infoObject["description"] = .string(description) }
        return .object(["openapi": "3.1.0", "info": .object(infoObject), "paths": .object(paths), "components": .object(componentsObject)])
    }

    // MARK: - Operations

    private func operationObject(_ operation: Operation, _ components: inout ComponentCollector) -> JSONObject {
        var object = JSONObject()
        if !operation.tags.isEmpty { object["tags"] = .array(operation.tags.map(JSONValue.string)) }
        if let summary = operation.summary { object["summary"] = .string(summary) }
        if let description = operation.description { object["description"] = .string(description) }
        object["operationId"] = .string(operation.operationID)
        if !operation.parameters.isEmpty {
            object["parameters"] = .array(operation.parameters.map { parameterObject($0, &components) })
        }
        if let body = operation.requestBody {
            let schema = components.json(for: Schema(kind: .model(body.model)))
            object["requestBody"] = .object(["content": .object([body.encoding.mediaType: .object(["schema": schema])]), "required": true])
        }
        object["responses"] = .object(responsesObject(operation, &components))
        if let scopes = operation.requiredScopes {
            object["security"] = .array([.object([Self.securitySchemeName: .array(scopes.map(JSONValue.string))])])
        }
        return object
    }

    private func parameterObject(_ spec: ParameterSpec, _ components: inout ComponentCollector) -> JSONValue {
        var schema = components.json(for: spec.schema).objectValue ?? [:]
        schema["title"] = .string(Self.title(spec.name))
        if let defaultValue = spec.defaultValue, defaultValue != .null { schema["default"] = defaultValue }
        var object: JSONObject = ["name": .string(spec.name), "in": .string(spec.location.rawValue), "required": .bool(spec.isRequired)]
        if let description = spec.description { object["description"] = .string(description) }
        object["schema"] = .object(schema)
        return .object(object)
    }

    private func responsesObject(_ operation: Operation, _ components: inout ComponentCollector) -> JSONObject {
        var responses = operation.responses
        if operation.requestBody != nil {
            responses.append(ResponseSpec(status: 415, description: "Unsupported Media Type", mediaType: "application/json",
                                          schema: .model(ErrorMessage.self)))
        }
        if operation.requestBody != nil || !operation.parameters.isEmpty {
            responses.append(ResponseSpec(status: 422, description: "Validation Error", mediaType: "application/json",
                                          schema: .model(HTTPValidationError.self)))
        }
        var object = JSONObject()
        for response in responses.sorted(by: { $0.status < $1.status }) {
            var item: JSONObject = ["description": .string(response.description)]
            if let mediaType = response.mediaType {
                let schema = response.schema.map { components.json(for: $0) } ?? .object([:])
                item["content"] = .object([mediaType: .object(["schema": schema])])
            }
            object[String(response.status)] = .object(item)
        }
        return object
    }

    private var securityScheme: JSONValue {
        .object(["type": "oauth2", "flows": .object(["password": .object(["scopes": .object([:]), "tokenUrl": .string(info.tokenURL)])])])
    }

    /// Pydantic's title for a field name: `user_id` is "User Id", `x-token` is "X-Token".
    static func title(_ name: String) -> String {
        name.split(separator: "_").map { word in
            word.split(separator: "-", omittingEmptySubsequences: false).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
        }.joined(separator: " ")
    }
}
