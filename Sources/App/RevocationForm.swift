import OpenAPI

/// The form of `POST /token/revoke` (RFC 7009 §2.1).
struct RevocationForm: Decodable, Model {
    let token: String
    let tokenTypeHint: String?

    enum CodingKeys: String, CodingKey {
        case token
        case tokenTypeHint = "token_type_hint"
    }

    static let schema = ModelSchema("RevocationForm", [
        Property("token", Schema.string().described("An access token or a refresh token.")),
        Property("token_type_hint", Schema.oneOf(["access_token", "refresh_token"]).orNull, default: .null),
    ])
}
