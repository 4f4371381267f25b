import JSON
import OpenAPI

/// `api import`: the lines of a file read, checked and written into a resource inside one write transaction, all or
/// nothing. With `upsertBy`, a record whose value of that field (the id, or a field unique on its own) is already
/// there has its fields updated instead.
struct ResourceImport {
    let declaration: ResourceDeclaration
    let format: TransferFormat
    let upsertBy: String?
    let now: String
    let dryRun: Bool

    /// An import into `declaration`; throws exit code 2 for an `upsertBy` that is neither `id` nor a field unique alone.
    init(_ declaration: ResourceDeclaration, format: TransferFormat, upsertBy: String?, now: String, dryRun: Bool) throws(AppError) {
        if let upsertBy, upsertBy != "id", !declaration.unique.contains([upsertBy]) {
            throw AppError("--upsert-by: '\(upsertBy)' is neither id nor a field declared unique on its own", exitCode: 2)
        }
        self.declaration = declaration
        self.format = format
        self.upsertBy = upsertBy
        self.now = now
        self.dryRun = dryRun
    }

    /// Reads, checks and (while every line so far was good) writes each line's record; the count written, or throws
    /// the `ImportReport` when a line was refused, and always in a dry run, so the transaction writes nothing.
    func run(_ reader: LineReader, into store: any ResourceStore) throws -> Int {
        var report = ImportReport()
        var number = 0
        var header: [String]?
        if format == .csv {
            header = reader.next().flatMap { CSVLine.parse(Substring($0)) }.map { $0.map { $0 ?? "" } }
            number += 1
        }
        let importer = ResourceImporter(declaration, format: format, header: header)
        while var line = reader.next() {
            number += 1
            let first = number
            while format == .csv, CSVLine.parse(Substring(line)) == nil, let more = reader.next() {   // a quoted line break
                line += "\n" + more
                number += 1
            }
            if line.isEmpty { continue }
            switch importer.record(Substring(line), now: now) {
            case .failure(let problems): report.add(line: first, problems.issues)
            case .success(let record):
                report.count += 1
                guard report.problems.isEmpty, !dryRun else { continue }
                do { try write(record, into: store) } catch let refusal as ResourceRefusal {
                    report.add(line: first, [ValidationIssue(type: "value_error", location: [], message: refusal.error.detail.jsonText, input: .null)])
                }
            }
        }
        if !report.problems.isEmpty || dryRun { throw report }
        return report.count
    }

    /// Restores `record`, or with `upsertBy` updates the declared fields of the record that has its value.
    private func write(_ record: JSONObject, into store: any ResourceStore) throws {
        if let upsertBy, let value = record[upsertBy], value != .null {
            let match = ResourceQuery(filter: .compare(upsertBy, .equal, .literal(value)), sort: [], after: nil, limit: 1, caller: nil, now: now)
            if let existing = try store.page(match).first?["id"]?.intValue {
                let fields = JSONObject(record.members.filter { member in declaration.fields.contains { $0.name == member.key } })
                _ = try store.update(id: existing, setting: fields, at: now)
                return
            }
        }
        try store.restore(record)
    }
}
