import App

/// `api user add EMAIL ...` and `api user list`.
enum UserCommand: Command {
    static let name = "user"
    static let summary = "Add or list users"
    static let usage = "add EMAIL [--name NAME] [--admin] [--password-stdin] [--config FILE]\n       api user list [--config FILE]"
    static let details = """
        add prompts twice for the password, without echo, on a terminal; with --password-stdin it reads one line from
        standard input instead (passwords never go in the arguments). The name defaults to the part of the email before @.
        Works with or without a server running.
        """
    static let options = [
        Option("--name", value: "NAME", help: "Display name (add)"),
        Option("--admin", help: "Make the user an admin (add)"),
        Option("--password-stdin", help: "Read the password from standard input (add)"),
        ConfigOption.option,
    ]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        guard let action = arguments.positionals.first else { throw UsageError("missing action: 'add EMAIL' or 'list'") }
        switch action {
        case "add":
            let email = try arguments.operands(1, after: "add", "an EMAIL")[0]
            let password = try readPassword(fromStandardInput: arguments.has("--password-stdin"))
            return perform(arguments) { try $0.addUser(email: email, name: arguments.value("--name"), password: password,
                                                       isAdmin: arguments.has("--admin")) }
        case "list":
            try arguments.allowOnly(["--config"], in: "list")
            _ = try arguments.operands(0, after: "list", "no arguments")
            return perform(arguments) { try $0.listUsers() }
        default:
            throw UsageError("unknown action '\(action)'; expected 'add' or 'list'")
        }
    }

    /// One line from stdin, or the password typed twice at a terminal.
    private static func readPassword(fromStandardInput: Bool) throws(UsageError) -> String {
        if fromStandardInput {
            guard let line = Console.readLine() else { throw UsageError("--password-stdin: standard input is empty") }
            return line
        }
        guard Console.inputIsTerminal else {
            throw UsageError("standard input is not a terminal; pass --password-stdin to read the password from it")
        }
        guard let first = Console.readHidden(prompt: "Password: "), let second = Console.readHidden(prompt: "Repeat password: ") else {
            throw UsageError("no password given")
        }
        guard first == second else { throw UsageError("the two passwords differ") }
        return first
    }
}

/// Opens the configured database for an admin command, runs `body`, prints what it returns, and turns an
/// `AppError` into its line on stderr and exit code.
func perform(_ arguments: ParsedArguments, _ body: (Administration) throws -> String) -> Int32 {
    guard let config = ConfigOption.load(arguments) else { return 2 }
    do {
        Console.print(try body(Administration(config: config)))
        return 0
    } catch let error as AppError {
        Console.error(error.description)
        return error.exitCode
    } catch {
        Console.error("\(error)")        // Administration throws only AppError; this keeps the signature simple
        return 1
    }
}
