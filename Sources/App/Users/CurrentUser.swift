import OpenAPI

/// `GET /users/me`: the caller, with the scopes of their token; `username` is the email, as the FastAPI
/// example's clients expect.
struct CurrentUser: Encodable, Model {
    let id: Int64
    let name: String
    let email: String
    let isAdmin: Bool
    let scopes: [String]
    let username: String

    enum CodingKeys: String, CodingKey {
        case id, name, email
        case isAdmin = "is_admin"
        case scopes, username
    }

    init(_ caller: Caller) {
        id = caller.user.id
        name = caller.user.name
        email = caller.user.email
        isAdmin = caller.user.isAdmin
        scopes = caller.scopes
        username = caller.user.email
    }

    static let schema = ModelSchema("CurrentUser", [
        Property("id", .integer()),
        Property("name", .string()),
        Property("email", .email),
        Property("is_admin", .boolean),
        Property("scopes", .array(of: .string())),
        Property("username", .string()),
    ])
}
