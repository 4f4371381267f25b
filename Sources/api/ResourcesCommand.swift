import App

/// `api resources`.
enum ResourcesCommand: Command {
    static let name = "resources"
    static let summary = "List the declared resources with their record counts and migration state"
    static let usage = "[--config FILE]"
    static let details = """
        One line per resource of the configuration's `resources` section: its name, how many records it holds, and
        whether its table matches the declaration ("migrated") or what the next 'api migrate' would change. Changes
        nothing.
        """
    static let options = [ConfigOption.option]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        _ = try arguments.operands(0, after: name, "no arguments")
        guard let config = ConfigOption.load(arguments) else { return 2 }
        do {
            Console.print(try Administration.listResources(config))
            return 0
        } catch {
            Console.error(error.description)
            return error.exitCode
        }
    }
}
