import OpenAPI

/// The user's fields, declared once: creation, update and the public view are derived from `declaration`.
enum UserFields {
    /// A display name.
    static let name = Schema.string(minLength: 1, maxLength: 100)
    /// A password: 8 characters at least (OWASP), and at most 1024, which keeps it within the hasher's
    /// 4096 bytes whatever the characters.
    static let password = Schema.string(minLength: 8, maxLength: 1024).secret

    /// `UserCreate`, `UserUpdate` and `UserPublic`, from one list of fields.
    static let declaration = ModelDeclaration("User", [
        .readOnly("id", .integer()),
        .field("name", name),
        .field("email", .email),
        .writeOnly("password", password),
        .field("is_admin", .strictBoolean, default: false),
        .readOnly("created_at", .string(format: "date-time")),
    ])
}
