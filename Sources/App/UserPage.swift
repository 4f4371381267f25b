import OpenAPI

/// One page of `GET /users/`: users by id, and the cursor of the next page (nil on the last).
struct UserPage: Encodable, Model {
    let items: [UserPublic]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    static let schema = ModelSchema("UserPage", [
        Property("items", .array(of: .model(UserPublic.self))),
        Property("next_cursor", Schema.string().orNull),
    ])
}
