/// A Swift type that is a request or response body: it states its schema once, and the same schema
/// validates requests and documents the type in `/openapi.json`.
///
/// ```swift
/// struct UserCreate: Decodable, Model {
///     let name: String
///     let email: String
///     static let schema = ModelSchema("UserCreate", [
///         Property("name", .string(minLength: 1, maxLength: 100)),
///         Property("email", .email),
///     ])
/// }
/// ```
/// The property names must be the type's coding keys; `ModelKeysTests` checks every model of the app.
public protocol Model: Sendable {
    /// The model's schema, named as it appears in `components.schemas`.
    static var schema: ModelSchema { get }
}
