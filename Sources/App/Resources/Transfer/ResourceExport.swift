/// `api export`: the records of a resource that pass an optional filter, by id, one line each, a page at a time
/// (constant memory).
struct ResourceExport {
    static let pageSize = 1000

    let declaration: ResourceDeclaration
    let format: TransferFormat
    let filter: Filter?

    /// An export of `declaration` in `format`, of the records that pass `filter` (the filter grammar; `@caller` is
    /// nobody); throws exit code 2 for a filter that does not parse.
    init(_ declaration: ResourceDeclaration, format: TransferFormat, filter text: String?) throws(AppError) {
        self.declaration = declaration
        self.format = format
        do { filter = try text.map { (text: String) throws(FilterError) in try FilterParser.parse(text, fields: declaration.filterFields) } } catch {
            throw AppError("--filter: \(error)", exitCode: 2)
        }
    }

    /// Hands the lines to `write`, the header first (CSV), then a page of records at a time.
    func run(on store: any DataStore, now: String, write: (String) -> Void) throws {
        if let header = format.header(for: declaration) { write(header + "\n") }
        var after: ResourceCursor?
        repeat {
            let query = ResourceQuery(filter: filter, sort: [], after: after, limit: Self.pageSize, caller: nil, now: now)
            let page = try store.read(on: 0) { try $0.resource(declaration).page(query) }
            write(page.map { format.line($0, of: declaration) + "\n" }.joined())
            after = page.count == Self.pageSize ? page.last.map { ResourceCursor(after: $0, sort: []) } : nil
        } while after != nil
    }
}
