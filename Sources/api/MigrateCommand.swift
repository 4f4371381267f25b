import App

/// `api migrate [up | status]`.
enum MigrateCommand: Command {
    static let name = "migrate"
    static let summary = "Apply database migrations, or show their status"
    static let usage = "[up | status] [--config FILE]"
    static let details = """
        up (the default) applies every pending migration, each in its own transaction; status lists applied and pending
        migrations and changes nothing. A database migrated by a newer binary, or whose recorded migrations differ from
        this binary's, is refused: status then ends with a "refused:" line and exit code 1. Safe while a server runs.
        """
    static let options = [ConfigOption.option]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        let action = arguments.positionals.first ?? "up"
        guard action == "up" || action == "status" else { throw UsageError("unknown action '\(action)'; expected 'up' or 'status'") }
        _ = try arguments.operands(0, after: action, "no arguments")
        guard let config = ConfigOption.load(arguments) else { return 2 }
        do {
            guard action == "status" else {
                Console.print(try Administration.migrate(config))
                return 0
            }
            let status = try Administration.migrationStatus(config)
            Console.print(status.report)
            return status.isRefused ? 1 : 0
        } catch {
            Console.error(error.description)
            return error.exitCode
        }
    }
}
