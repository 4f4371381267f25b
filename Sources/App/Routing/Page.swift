import OpenAPI

/// One page of a list (`GET /users/`, `GET /audit`): the items, and the cursor of the next page (nil on the last).
struct Page<Item: Encodable & Model>: Encodable, Model {
    let items: [Item]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    /// `UserPublicPage`, `AuditEntryPage`: named after the item's schema.
    static var schema: ModelSchema {
        ModelSchema("\(Item.schema.name)Page", [
            Property("items", .array(of: .model(Item.self))),
            Property("next_cursor", Schema.string().orNull),
        ])
    }
}
