import OpenAPI

/// One audit-log entry, as `GET /audit` shows it.
struct AuditEntry: Codable, Sendable, Model {
    let id: Int64
    let actor: String
    let user: String
    let action: String
    let requestID: String
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, actor, user, action
        case requestID = "request_id"
        case createdAt = "created_at"
    }

    static let schema = ModelSchema("AuditEntry", [
        Property("id", .integer()),
        Property("actor", Schema.string().described("Who asked: the caller's email.")),
        Property("user", Schema.string().described("For whom: `?user=` of the request, else the caller.")),
        Property("action", .string()),
        Property("request_id", Schema.string().described("The request's `x-request-id`.")),
        Property("created_at", Schema.string(format: "date-time").described("When the request was answered.")),
    ])
}
