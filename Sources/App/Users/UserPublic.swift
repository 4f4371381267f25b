import OpenAPI

/// A user as the API shows it: never a password or its hash.
struct UserPublic: Encodable, Model {
    let id: Int64
    let name: String
    let email: String
    let isAdmin: Bool
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, name, email
        case isAdmin = "is_admin"
        case createdAt = "created_at"
    }

    init(_ user: UserRecord) {
        id = user.id
        name = user.name
        email = user.email
        isAdmin = user.isAdmin
        createdAt = user.createdAt
    }

    static let schema = UserFields.declaration.read
}
