import App

/// Dispatches `api COMMAND ...` to the command, and turns usage errors into one line and exit code 2.
enum CommandLineTool {
    /// The commands, in the order `api help` lists them.
    static let commands: [any Command.Type] = [
        ServeCommand.self, MigrateCommand.self, ResourcesCommand.self, ExportCommand.self, ImportCommand.self, UserCommand.self, TokenCommand.self, JobsCommand.self, BackupCommand.self, RestoreCommand.self, BenchCommand.self, HealthcheckCommand.self, VersionCommand.self,
        HelpCommand.self,
    ]

    static func main(_ arguments: [String]) -> Int32 {
        guard let name = arguments.first else {
            Console.print(HelpCommand.overview)
            return 0
        }
        if name == "--help" || name == "-h" { return main(["help"]) }
        if name == "--version" { return main(["version"]) }
        guard let command = commands.first(where: { $0.name == name }) else {
            Console.error("unknown command '\(name)'; run 'api help' for the list of commands")
            return 2
        }
        do {
            let parsed = try ParsedArguments(Array(arguments.dropFirst()), options: command.options)
            if parsed.has("--help") {
                Console.print(command.help)
                return 0
            }
            return try command.run(parsed)
        } catch {
            Console.error("\(name): \(error.message); run 'api help \(name)' for usage")
            return 2
        }
    }
}
