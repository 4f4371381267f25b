/// The schemas of FastAPI's 422 body, `{"detail": [ValidationError...]}`, named as FastAPI names them.
enum HTTPValidationError: Model {
    static let schema = ModelSchema("HTTPValidationError", [
        Property("detail", .array(of: .model(ValidationErrorModel.self)), default: .null),
    ])
}

/// One element of `HTTPValidationError.detail`.
enum ValidationErrorModel: Model {
    static let schema = ModelSchema("ValidationError", [
        Property("loc", .array(of: .any)),
        Property("msg", .string()),
        Property("type", .string()),
        Property("input", .any, default: .null),
        Property("ctx", Schema(kind: .any), default: .null),
    ])
}
