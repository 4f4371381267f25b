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
        Property("token", Schema.string().secret.described("An access token or a refresh token.")),
        // RFC 7009 §2.1: the hint is advisory and a server may ignore it; this one looks the token up either way.
        Property("token_type_hint", Schema.string(maxLength: 64).orNull.described("`access_token` or `refresh_token`; ignored."), default: .null),
    ])
}
