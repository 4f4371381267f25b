import OpenAPI

/// The body of `POST /users/`: the FastAPI example's `UserCreate`, with constraints it lacked.
struct UserCreate: Decodable, Model {
    let name: String
    let email: String
    let password: String
    /// Honoured only when an admin creates the user.
    let isAdmin: Bool

    enum CodingKeys: String, CodingKey {
        case name, email, password
        case isAdmin = "is_admin"
    }

    static let schema = UserFields.declaration.create
}
