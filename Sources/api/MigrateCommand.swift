import App

/// `api migrate [up | status | plan]`.
enum MigrateCommand: Command {
    static let name = "migrate"
    static let summary = "Apply database migrations, or show their status or plan"
    static let usage = "[up | status | plan] [--allow-destructive] [--set RESOURCE.FIELD=VALUE]... [--config FILE]"
    static let details = """
        up (the default) applies every pending migration, each in its own transaction; status lists applied and pending
        migrations and changes nothing. A database migrated by a newer binary, or whose recorded migrations differ from
        this binary's, is refused: status then ends with a "refused:" line and exit code 1. plan prints the changes the
        declared resources need and the SQL that up would run, changing nothing; a destructive change (a dropped field or
        resource, a type change, a new required field without a default) is marked REFUSED, and plan exits 2.
        up --allow-destructive applies the dropped fields and resources and the new required fields (each given its
        value for the existing records by --set), after writing a copy of the database, whose path it prints first;
        type and owner changes stay refused.
        Safe while a server runs.
        """
    static let options = [
        Option("--allow-destructive", help: "Apply the resources' destructive changes too (up), after a backup of the database"),
        Option("--set", value: "RESOURCE.FIELD=VALUE", repeatable: true, help: "The value existing records get for a new required field (up)"),
        ConfigOption.option,
    ]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        let action = arguments.positionals.first ?? "up"
        guard ["up", "status", "plan"].contains(action) else { throw UsageError("unknown action '\(action)'; expected 'up', 'status' or 'plan'") }
        _ = try arguments.operands(0, after: action, "no arguments")
        guard let config = ConfigOption.load(arguments) else { return 2 }
        do {
            if action == "plan" {
                let plan = try Administration.migrationPlan(config)
                Console.print(plan.report)
                return plan.isRefused ? 2 : 0
            }
            guard action == "status" else {
                Console.print(try Administration.migrate(config, allowDestructive: arguments.has("--allow-destructive"), backfills: arguments.all("--set")))
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
