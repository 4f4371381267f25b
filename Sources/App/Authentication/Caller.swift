/// Who is calling: the user behind a valid access token, with the token's scopes and id.
struct Caller: Sendable {
    let user: UserRecord
    let scopes: [String]
    let tokenID: String

    /// Whether the caller may act on user `id`: it is them, or they are an admin.
    func mayAct(on id: Int64) -> Bool { user.id == id || user.isAdmin }
}
