import OpenAPI

/// The form of `POST /token`: OAuth2's password grant (RFC 6749 §4.3.2) and refresh grant (§6).
/// `grant_type` defaults to `password`, as FastAPI's `OAuth2PasswordRequestForm` allows.
struct TokenForm: Decodable, Model {
    let grantType: String
    let username: String?
    let password: String?
    let scope: String
    let refreshToken: String?
    let clientID: String?
    let clientSecret: String?

    enum CodingKeys: String, CodingKey {
        case username, password, scope
        case grantType = "grant_type"
        case refreshToken = "refresh_token"
        case clientID = "client_id"
        case clientSecret = "client_secret"
    }

    static let schema = ModelSchema("TokenForm", [
        Property("grant_type", .oneOf(["password", "refresh_token"]), default: "password"),
        Property("username", Schema.string().orNull.described("The email (password grant)."), default: .null),
        Property("password", Schema.string().secret.orNull.described("The password (password grant)."), default: .null),
        Property("scope", Schema.string().described("Space-separated scopes to ask for (`metrics`)."), default: ""),
        Property("refresh_token", Schema.string().secret.orNull.described("The refresh token (refresh grant)."), default: .null),
        Property("client_id", Schema.string().orNull, default: .null),
        Property("client_secret", Schema.string().secret.orNull, default: .null),
    ])
}
