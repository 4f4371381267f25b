import OpenAPI

/// One page of `GET /audit`: newest first, and the cursor of the next (older) page.
struct AuditPage: Encodable, Model {
    let items: [AuditEntry]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    static let schema = ModelSchema("AuditPage", [
        Property("items", .array(of: .model(AuditEntry.self))),
        Property("next_cursor", Schema.string().orNull),
    ])
}
