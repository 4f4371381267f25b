import Crypto
import JSON

/// Where a page ends (keyset pagination): the last record's values of the sort fields, then its id. Clients see it
/// as an opaque string, base64url of `[sort, values..., id]`; the sort is inside so a cursor is only taken back by
/// the list order it came from.
struct ResourceCursor: Equatable, Sendable {
    /// The last record's values of the sort fields, in sort order.
    let values: [JSONValue]
    let id: Int64

    /// The cursor after `record` in a list sorted by `sort`.
    init(after record: JSONObject, sort: [ResourceSortKey]) {
        values = sort.map { record[$0.field] ?? .null }
        id = record["id"]?.intValue ?? 0
    }

    /// The opaque text of the cursor of a list sorted as `sortText` (the `sort=` value as given).
    func text(sortText: String) -> String {
        Base64URL.encode(JSONValue.array([.string(sortText)] + values + [.integer(id)]).serialized())
    }

    /// Reads `text`; nil unless it is a cursor of a list sorted as `sortText` on fields of these types.
    init?(text: String, sortText: String, types: [FilterFieldType]) {
        guard text.utf8.count <= 4096, let bytes = Base64URL.decode(text), let parsed = try? JSONParser.parse(bytes),
              let items = parsed.arrayValue, items.count == types.count + 2, items.first == .string(sortText),
              case .integer(let id)? = items.last else { return nil }
        let values = Array(items.dropFirst().dropLast())
        guard zip(values, types).allSatisfy(Self.fits) else { return nil }
        self.values = values
        self.id = id
    }

    /// Whether a cursor's value can be a stored value of a field of `type` (a stored value is null or of its type).
    private static func fits(_ value: JSONValue, _ type: FilterFieldType) -> Bool {
        switch (type, value) {
        case (_, .null), (.string, .string), (.date, .string), (.datetime, .string), (.boolean, .bool), (.integer, .integer),
             (.number, .integer), (.number, .double): true
        default: false
        }
    }
}
