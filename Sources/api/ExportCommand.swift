import App

/// `api export RESOURCE [--format ndjson|csv]`.
enum ExportCommand: Command {
    static let name = "export"
    static let summary = "Write every record of a resource to stdout (NDJSON or CSV)"
    static let usage = "RESOURCE [--format ndjson|csv] [--filter FILTER] [--config FILE]"
    static let details = """
        One record per line, by id, with every field including id, owner_id, the timestamps and version: NDJSON (the
        default) or CSV with a header row. Read a page at a time, so memory stays flat whatever the count. What it
        writes, 'api import' reads back: export, import into an empty resource, export gives the same bytes. --filter
        keeps the records that pass a filter of the list grammar (docs/resources.md).
        """
    static let options = [
        Option("--format", value: "FORMAT", help: "ndjson (default) or csv"),
        Option("--filter", value: "FILTER", help: "Only the records that pass, e.g. 'status = \"active\"'"),
        ConfigOption.option,
    ]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        guard let resource = arguments.positionals.first else { throw UsageError("missing the resource to export") }
        _ = try arguments.operands(0, after: resource, "no other argument")
        return perform(arguments) { administration in
            try administration.exportResource(resource, format: arguments.value("--format") ?? "ndjson", filter: arguments.value("--filter")) {
                Console.print($0)
            }
            return ""
        }
    }
}
