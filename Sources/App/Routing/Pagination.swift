import OpenAPI

/// The `limit` and `cursor` query parameters of the lists, and how they make a `Page`. A cursor is the id of
/// the last item of the previous page (treat it as opaque: only its use as `cursor` is promised).
enum Pagination {
    static let limit = Parameter<Int>.query("limit", .integer(minimum: 1, maximum: 100), default: 20, description: "Items per page.")
    static let cursor = Parameter<String?>.query("cursor", Schema.string(pattern: "^[0-9]{1,18}$").orNull, default: .null,
                                                 description: "The `next_cursor` of the previous page.")

    /// The id the cursor of `input` names, or nil on the first page.
    static func cursorID(_ input: OperationInput) -> Int64? {
        input[cursor].flatMap { Int64($0) }
    }

    /// The page of `rows`, which were read with a limit of `input`'s limit + 1: the extra row tells there is more.
    static func page<Item>(_ rows: [Item], _ input: OperationInput, id: (Item) -> Int64) -> Page<Item> {
        let limit = input[self.limit]
        let items = Array(rows.prefix(limit))
        return Page(items: items, nextCursor: rows.count > limit ? items.last.map { String(id($0)) } : nil)
    }
}
