import OpenAPI

/// The body of `PATCH /users/{user_id}`: any subset of the fields; absent or `null` leaves a field as it is.
struct UserUpdate: Decodable, Model {
    let name: String?
    let email: String?
    let password: String?
    let isAdmin: Bool?

    enum CodingKeys: String, CodingKey {
        case name, email, password
        case isAdmin = "is_admin"
    }

    static let schema = UserFields.declaration.update
}
