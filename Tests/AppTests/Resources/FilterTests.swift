import JSON
import Testing
@testable import App

/// The filter grammar of DESIGN §10, parsed, checked and evaluated in memory: valid filters with the records they
/// keep, invalid ones with the position the 422 names.
@Suite struct FilterTests {
    static let fields: [String: FilterFieldType] = [
        "id": .integer, "owner_id": .integer, "name": .string, "status": .string, "budget": .number, "tags": .array,
        "due": .date, "archived": .boolean, "meta": .object, "created_at": .datetime,
    ]

    static let records: [[String: JSONValue]] = [
        ["id": 1, "owner_id": 7, "name": "Apollo", "status": "active", "budget": 1500.5, "tags": ["space", "NASA"], "due": "2026-12-31",
         "archived": false, "meta": [:], "created_at": "2026-01-01T00:00:00.000Z"],
        ["id": 2, "owner_id": 8, "name": "Gemini", "status": "draft", "budget": 0, "tags": [], "due": .null, "archived": true,
         "meta": [:], "created_at": "2026-06-01T00:00:00.000Z"],
        ["id": 3, "owner_id": 7, "name": "Mercury 7", "status": "archived", "budget": 99, "tags": ["space"], "due": "2025-01-01",
         "archived": false, "meta": [:], "created_at": "2027-01-01T00:00:00.000Z"],
    ]

    static let owner = FilterCaller(id: 7, email: "ada@example.com", isAdmin: false, scopes: [])
    static let admin = FilterCaller(id: 1, email: "root@example.com", isAdmin: true, scopes: ["metrics"])
    static let now = "2026-12-03T12:00:00.000Z"

    struct Valid: Sendable, CustomTestStringConvertible {
        let filter: String
        let ids: [Int64]
        var caller: FilterCaller? = FilterTests.owner
        var testDescription: String { filter }
    }

    static let valid = [
        Valid(filter: #"status = "active""#, ids: [1]),
        Valid(filter: #"status != "active""#, ids: [2, 3]),
        Valid(filter: "budget > 99", ids: [1]),
        Valid(filter: "budget >= 99 && budget < 2000", ids: [1, 3]),
        Valid(filter: #"name ~ "mer""#, ids: [3], caller: nil),
        Valid(filter: #"name !~ "MER""#, ids: [1, 2]),
        Valid(filter: #"tags ~ "nasa""#, ids: [1]),
        Valid(filter: #"status in ["draft", "archived"]"#, ids: [2, 3]),
        Valid(filter: "due is null", ids: [2]),
        Valid(filter: "due is not null && due < @now", ids: [3]),
        Valid(filter: "created_at > @now", ids: [3]),
        Valid(filter: "archived", ids: [2]),
        Valid(filter: "!archived", ids: [1, 3]),
        Valid(filter: "owner_id = @caller.id", ids: [1, 3]),
        Valid(filter: "owner_id = @caller.id", ids: [], caller: nil),
        Valid(filter: "owner_id = @caller.id || @caller.admin", ids: [1, 2, 3], caller: FilterTests.admin),
        Valid(filter: "owner_id = @caller.id || @caller.admin", ids: [1, 3]),
        Valid(filter: #"(status = "draft" || budget > 1000) && !(name = "Gemini")"#, ids: [1]),
        Valid(filter: "due != \"2025-01-01\"", ids: [1], caller: nil),
        Valid(filter: "id in [1, 3] && owner_id = 7", ids: [1, 3]),
        Valid(filter: "budget = 1500.5", ids: [1]),
        Valid(filter: #"name = "Mercury 7""#, ids: [3]),
        Valid(filter: #"name = "\u0041pollo""#, ids: [1]),
    ]

    @Test(arguments: valid)
    func aValidFilterKeepsItsRecords(_ test: Valid) throws {
        let filter = try FilterParser.parse(test.filter, fields: Self.fields)
        let kept = Self.records.filter { filter.matches($0, caller: test.caller, now: Self.now) }.compactMap { $0["id"]?.intValue }
        #expect(kept == test.ids)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let filter: String
        let position: Int
        let words: String
        var testDescription: String { filter }
    }

    static let invalid = [
        Invalid(filter: "", position: 1, words: "found the end"),
        Invalid(filter: "colour = 1", position: 1, words: "unknown field 'colour'"),
        Invalid(filter: "status = ", position: 10, words: "found the end"),
        Invalid(filter: "status = 1", position: 10, words: "does not fit 'status'"),
        Invalid(filter: #"budget = "a lot""#, position: 10, words: "does not fit 'budget'"),
        Invalid(filter: "status = null", position: 10, words: "is null"),
        Invalid(filter: "archived > true", position: 10, words: "no order"),
        Invalid(filter: #"budget ~ "1""#, position: 8, words: "'~' applies to text and array"),
        Invalid(filter: "status", position: 7, words: "only a boolean field stands alone"),
        Invalid(filter: #"(status = "a""#, position: 14, words: "expected ')'"),
        Invalid(filter: #"status = "a" status = "b""#, position: 14, words: "'&&', '||' or the end"),
        Invalid(filter: #"status = "a" & budget > 1"#, position: 14, words: "unexpected character '&'"),
        Invalid(filter: "owner_id = @caller.nobody", position: 12, words: "unknown variable '@caller.nobody'"),
        Invalid(filter: "owner_id = @caller.email", position: 12, words: "does not fit 'owner_id'"),
        Invalid(filter: #"name = "unterminated"#, position: 8, words: "unterminated string"),
        Invalid(filter: "status in []", position: 12, words: "a value that fits"),
        Invalid(filter: "status in [\"a\" \"b\"]", position: 16, words: "',' or ']'"),
        Invalid(filter: "due is 3", position: 8, words: "'null'"),
        Invalid(filter: "meta = 1", position: 6, words: "compared with '~' only"),
        Invalid(filter: "id = 1.5", position: 6, words: "does not fit 'id'"),
        Invalid(filter: "budget > 01", position: 10, words: "not a JSON literal"),
        Invalid(filter: "name = \"é\" && nom = 1", position: 15, words: "unknown field 'nom'"),
        Invalid(filter: String(repeating: "(", count: 40) + "archived" + String(repeating: ")", count: 40), position: 33, words: "deeper than 32"),
        Invalid(filter: "archived || " + String(repeating: "archived || ", count: 200) + "archived", position: 1, words: "longer than 2048"),
        Invalid(filter: "status; DROP TABLE projects", position: 7, words: "unexpected character ';'"),
    ]

    @Test(arguments: invalid)
    func anInvalidFilterNamesWhereItGoesWrong(_ test: Invalid) {
        #expect {
            _ = try FilterParser.parse(test.filter, fields: Self.fields)
        } throws: { error in
            guard let error = error as? FilterError else { return false }
            return error.position == test.position && error.problem.contains(test.words)
        }
    }
}
