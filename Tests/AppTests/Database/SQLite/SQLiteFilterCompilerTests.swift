import JSON
import Storage
import Testing
import TestKit
@testable import App

/// The filter grammar compiled to SQL means what it means in memory: every valid filter of `FilterTests` keeps the
/// same records from a real table, values are bound (an injection attempt is just a value), and keyset conditions
/// find the rows after a cursor in every sort order.
@Suite struct SQLiteFilterCompilerTests {
    static let declaration: ResourceDeclaration = {
        let source: JSONValue = ["items": ["owner": true, "fields": [
            "name": ["type": "string"], "status": ["type": "string"], "budget": ["type": "number"],
            "tags": ["type": "array", "items": ["type": "string"]], "due": ["type": "date", "optional": true],
            "archived": ["type": "boolean"], "meta": ["type": "object"],
        ]]]
        return try! ResourceDeclarationReader.read(source)[0]      // a literal that reads, or every test here fails
    }()

    /// `FilterTests.records` in a table of their own (foreign keys off: no users table behind `owner_id`).
    static func database() throws -> (Database, SQLiteResourceStore) {
        let database = try Database(path: try SharedTestData.temporaryDirectory() + "/filters.db")
        try database.executeScript("PRAGMA foreign_keys = OFF")
        try database.executeScript(SQLiteResourceSchema.createTable(declaration))
        let table = SQLiteResourceTable(declaration)
        for record in FilterTests.records {
            let values = table.columns.map { column in
                SQLiteResourceTable.bindable(SQLiteResourceTable.stored(record[column.name] ?? (column.name == "version" ? 1 : "2026-01-01T00:00:00.000Z"),
                                                                        column.storage))
            }
            try database.execute("INSERT INTO items VALUES (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))", arguments: values)
        }
        return (database, SQLiteResourceStore(database: database, table: table))
    }

    static let moreFilters = FilterTests.valid + [
        FilterTests.Valid(filter: "!(due < @now)", ids: [1, 2]),
        FilterTests.Valid(filter: "!(owner_id = @caller.id)", ids: [1, 2, 3], caller: nil),
        FilterTests.Valid(filter: #"!(tags ~ "space")"#, ids: [2]),
        FilterTests.Valid(filter: #"tags !~ "space""#, ids: [2]),
        FilterTests.Valid(filter: #"!(status in ["draft"])"#, ids: [1, 3]),
        FilterTests.Valid(filter: #"name = "x' OR 1=1 --""#, ids: []),
        FilterTests.Valid(filter: #"name ~ "%""#, ids: []),
        FilterTests.Valid(filter: #"name ~ "_""#, ids: []),
    ]

    @Test(arguments: moreFilters)
    func aFilterKeepsTheSameRecordsInSQLAsInMemory(_ test: FilterTests.Valid) throws {
        let (_, store) = try Self.database()
        let filter = try FilterParser.parse(test.filter, fields: Self.declaration.filterFields)
        let query = ResourceQuery(filter: filter, sort: [], after: nil, limit: 100, caller: test.caller, now: FilterTests.now)
        let inSQL = try store.page(query).compactMap { $0["id"]?.intValue }
        let inMemory = try store.page(ResourceQuery(filter: nil, sort: [], after: nil, limit: 100, caller: nil, now: FilterTests.now))
            .filter { filter.matches($0, caller: test.caller, now: FilterTests.now) }.compactMap { $0["id"]?.intValue }
        #expect(inSQL == test.ids, "SQL")
        #expect(inMemory == test.ids, "memory, on the records as stored")
        #expect(try store.count(filter, caller: test.caller, now: FilterTests.now) == test.ids.count)
    }

    /// Walking pages of one row in each order visits every row once, in the order a full sort gives; nullable `due`
    /// sorts first ascending and last descending.
    @Test(arguments: ["-budget", "budget", "due", "-due", "archived,-budget", "-archived,name", "name", "-id"])
    func keysetPagesVisitEveryRowOnceInOrder(_ sortText: String) throws {
        let (_, store) = try Self.database()
        let sort = sortText.split(separator: ",").map { ResourceSortKey(field: String($0.drop { $0 == "-" }), isDescending: $0.hasPrefix("-")) }
        let all = try store.page(ResourceQuery(filter: nil, sort: sort, after: nil, limit: 100, caller: nil, now: FilterTests.now))
        var walked: [JSONObject] = []
        var cursor: ResourceCursor?
        repeat {
            let page = try store.page(ResourceQuery(filter: nil, sort: sort, after: cursor, limit: 1, caller: nil, now: FilterTests.now))
            walked += page
            cursor = page.last.map { ResourceCursor(after: $0, sort: sort) }
            let text = cursor?.text(sortText: sortText)
            if let text { #expect(ResourceCursor(text: text, sortText: sortText, types: sort.map { Self.declaration.filterFields[$0.field] ?? .string }) == cursor) }
        } while cursor != nil && walked.count <= all.count
        #expect(walked.map { $0["id"] } == all.map { $0["id"] })
        #expect(all.count == 3)
    }
}
