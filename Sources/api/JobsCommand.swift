import App

/// `api jobs list [--state STATE]` and `api jobs retry ID`.
enum JobsCommand: Command {
    static let name = "jobs"
    static let summary = "List background jobs, or run a dead one again"
    static let usage = "list [--state queued|running|succeeded|dead] [--limit N] [--config FILE]\n       api jobs retry ID [--config FILE]"
    static let details = """
        list shows jobs newest first with their attempts and last error. retry queues a dead (or waiting) job again with
        a fresh count of attempts; a running server picks it up within a second.
        """
    static let options = [
        Option("--state", value: "STATE", help: "Only jobs in this state (list)"),
        Option("--limit", value: "N", help: "At most N jobs (list; default 100)"),
        ConfigOption.option,
    ]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        guard let action = arguments.positionals.first else { throw UsageError("missing action: 'list' or 'retry ID'") }
        switch action {
        case "list":
            _ = try arguments.operands(0, after: "list", "no arguments")
            let limit = try arguments.value("--limit").map { (text: String) throws(UsageError) -> Int in
                guard let limit = Int(text), limit > 0 else { throw UsageError("--limit: expected a positive integer, got '\(text)'") }
                return limit
            } ?? 100
            return perform(arguments) { try $0.listJobs(state: arguments.value("--state"), limit: limit) }
        case "retry":
            try arguments.allowOnly(["--config"], in: "retry")
            let text = try arguments.operands(1, after: "retry", "a job ID")[0]
            guard let id = Int64(text), id > 0 else { throw UsageError("expected a job id (a positive integer), got '\(text)'") }
            return perform(arguments) { try $0.retryJob(id) }
        default:
            throw UsageError("unknown action '\(action)'; expected 'list' or 'retry'")
        }
    }
}
