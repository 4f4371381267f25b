import OpenAPI

/// The constraints of user fields, declared once for creation and update.
enum UserFields {
    /// A display name.
    static let name = Schema.string(minLength: 1, maxLength: 100)
    /// A password: 8 characters at least (OWASP), and at most 1024, which keeps it within the hasher's
    /// 4096 bytes whatever the characters.
    static let password = Schema.string(minLength: 8, maxLength: 1024).secret
}
