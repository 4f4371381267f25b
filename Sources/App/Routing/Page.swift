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
    static var schema: ModelSchema { schema(of: Item.schema) }

    /// The schema of a page of `item`s, for items described by a schema alone (a resource from the configuration).
    static func schema(of item: ModelSchema) -> ModelSchema {
        ModelSchema("\(item.name)Page", [
            Property("items", .array(of: Schema(kind: .model(item)))),
            Property("next_cursor", Schema.string().orNull),
        ])
    }
}
