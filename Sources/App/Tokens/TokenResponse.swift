import OpenAPI

/// A successful token response (RFC 6749 §5.1).
struct TokenResponse: Encodable, Model {
    let accessToken: String
    let tokenType = "bearer"
    let expiresIn: Int64
    let refreshToken: String
    let scope: String

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
        case scope
    }

    static let schema = ModelSchema("Token", [
        Property("access_token", .string()),
        Property("token_type", .oneOf(["bearer"])),
        Property("expires_in", .integer()),
        Property("refresh_token", .string()),
        Property("scope", .string()),
    ])
}
