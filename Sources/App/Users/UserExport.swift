import JSON

/// `api export users`: every user by id as the API shows them, with their version: never a password or its hash (the
/// store's `page` does not read it).
enum UserExport {
    static let columns = ["id", "name", "email", "is_admin", "created_at", "version"]
    static let pageSize = 1000

    /// Hands the lines to `write`, a page of users at a time.
    static func run(on store: any DataStore, format: TransferFormat, write: (String) -> Void) throws {
        if let header = format.header(columns: columns) { write(header + "\n") }
        var after: Int64 = 0
        var page: [UserRecord]
        repeat {
            let from = after
            page = try store.read(on: 0) { try $0.users.page(after: from, limit: pageSize) }
            write(page.map { format.line(record($0), columns: columns) + "\n" }.joined())
            after = page.last?.id ?? after
        } while page.count == pageSize
    }

    private static func record(_ user: UserRecord) -> JSONObject {
        ["id": .integer(user.id), "name": .string(user.name), "email": .string(user.email), "is_admin": .bool(user.isAdmin),
         "created_at": .string(user.createdAt), "version": .integer(user.version)]
    }
}
