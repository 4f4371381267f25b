import App

/// `api help [COMMAND]`.
enum HelpCommand: Command {
    static let name = "help"
    static let summary = "Show help for api or for one command"
    static let usage = "[COMMAND]"
    static let options: [Option] = []

    /// What `api` and `api help` print.
    static var overview: String {
        var text = "api: a production JSON API server in one binary (users, OAuth2 login, JWT, metrics).\n\n"
        text += "Usage: api COMMAND [OPTIONS]\n\nCommands:\n"
        for command in CommandLineTool.commands { text += "  " + command.name.padding(to: 10) + command.summary + "\n" }
        text += "\nRun 'api help COMMAND' or 'api COMMAND --help' for a command's options.\n"
        return text
    }

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        guard let name = arguments.positionals.first else {
            Console.print(overview)
            return 0
        }
        guard arguments.positionals.count == 1 else { throw UsageError("expected one command name") }
        guard let command = CommandLineTool.commands.first(where: { $0.name == name }) else {
            throw UsageError("unknown command '\(name)'")
        }
        Console.print(command.help)
        return 0
    }
}
