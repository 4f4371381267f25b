import App

/// `api import RESOURCE FILE [--format ndjson|csv] [--dry-run]`.
enum ImportCommand: Command {
    static let name = "import"
    static let summary = "Load records into a resource from a file (NDJSON or CSV), all or nothing"
    static let usage = "RESOURCE FILE [--format ndjson|csv] [--upsert-by FIELD] [--dry-run] [--config FILE]"
    static let details = """
        Every line is checked as an admin's create would be (the same schema, constraints and references); the system
        fields an export holds (id, owner_id, created_at, updated_at, version) are kept when given. All or nothing, in
        one transaction: invalid data writes nothing, prints 'line N: loc: msg' (20 at most, then a count) and exits 2;
        an unreadable file exits 1. --dry-run checks everything and writes nothing. --upsert-by FIELD (id, or a field
        declared unique on its own) updates the record that already has the line's value instead of adding one.
        """
    static let options = [
        Option("--format", value: "FORMAT", help: "ndjson (default) or csv"),
        Option("--dry-run", help: "Check every line, write nothing"),
        Option("--upsert-by", value: "FIELD", help: "Update the record with the same value of FIELD (id, or a unique field)"),
        ConfigOption.option,
    ]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        guard let resource = arguments.positionals.first else { throw UsageError("missing the resource to import into") }
        let file = try arguments.operands(1, after: resource, "the file to import")[0]
        return perform(arguments) { administration in
            try administration.importResource(resource, path: file, format: arguments.value("--format") ?? "ndjson",
                                              upsertBy: arguments.value("--upsert-by"), dryRun: arguments.has("--dry-run"))
        }
    }
}
