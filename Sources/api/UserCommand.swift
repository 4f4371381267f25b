import App

/// `api user add | list | delete | update | set-password`.
enum UserCommand: Command {
    static let name = "user"
    static let summary = "Add, list, change or delete users"
    static let usage = "add EMAIL [--name NAME] [--admin] [--password-stdin] [--config FILE]\n"
        + "       api user list [--config FILE]\n"
        + "       api user update EMAIL [--name NAME] [--admin | --no-admin] [--config FILE]\n"
        + "       api user set-password EMAIL [--password-stdin] [--config FILE]\n"
        + "       api user delete EMAIL [--config FILE]"
    static let details = """
        add and set-password prompt twice for the password, without echo, on a terminal; with --password-stdin they read
        one line from standard input instead (passwords never go in the arguments). The name defaults to the part of the
        email before @. set-password ends the user's refresh tokens; delete revokes all of their tokens (a running server
        refuses them within a second). Works with or without a server running.
        """
    static let options = [
        Option("--name", value: "NAME", help: "Display name (add, update)"),
        Option("--admin", help: "Make the user an admin (add, update)"),
        Option("--no-admin", help: "Make the user a non-admin (update)"),
        Option("--password-stdin", help: "Read the password from standard input (add, set-password)"),
        ConfigOption.option,
    ]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        guard let action = arguments.positionals.first else {
            throw UsageError("missing action: 'add EMAIL', 'list', 'update EMAIL', 'set-password EMAIL' or 'delete EMAIL'")
        }
        switch action {
        case "add":
            try arguments.allowOnly(["--name", "--admin", "--password-stdin", "--config"], in: "add")
            let email = try arguments.operands(1, after: "add", "an EMAIL")[0]
            let password = try readPassword(fromStandardInput: arguments.has("--password-stdin"))
            return perform(arguments) { try $0.addUser(email: email, name: arguments.value("--name"), password: password,
                                                       isAdmin: arguments.has("--admin")) }
        case "list":
            try arguments.allowOnly(["--config"], in: "list")
            _ = try arguments.operands(0, after: "list", "no arguments")
            return perform(arguments) { try $0.listUsers() }
        case "update":
            try arguments.allowOnly(["--name", "--admin", "--no-admin", "--config"], in: "update")
            let email = try arguments.operands(1, after: "update", "an EMAIL")[0]
            let isAdmin = try adminFlag(arguments)
            guard arguments.has("--name") || isAdmin != nil else { throw UsageError("'update' needs --name NAME, --admin or --no-admin") }
            return perform(arguments) { try $0.updateUser(email: email, name: arguments.value("--name"), isAdmin: isAdmin) }
        case "set-password":
            try arguments.allowOnly(["--password-stdin", "--config"], in: "set-password")
            let email = try arguments.operands(1, after: "set-password", "an EMAIL")[0]
            let password = try readPassword(fromStandardInput: arguments.has("--password-stdin"))
            return perform(arguments) { try $0.setPassword(email: email, password: password) }
        case "delete":
            try arguments.allowOnly(["--config"], in: "delete")
            let email = try arguments.operands(1, after: "delete", "an EMAIL")[0]
            return perform(arguments) { try $0.deleteUser(email: email) }
        default:
            throw UsageError("unknown action '\(action)'; expected 'add', 'list', 'update', 'set-password' or 'delete'")
        }
    }

    /// `--admin` is true, `--no-admin` false, neither nil; both is a mistake.
    private static func adminFlag(_ arguments: ParsedArguments) throws(UsageError) -> Bool? {
        switch (arguments.has("--admin"), arguments.has("--no-admin")) {
        case (true, true): throw UsageError("--admin and --no-admin contradict each other; give one")
        case (true, false): true
        case (false, true): false
        case (false, false): nil
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
    perform(arguments) { (config: Config) in try body(Administration(config: config)) }
}

/// Loads the configuration, runs `body` with it, prints what it returns, and turns an `AppError` into its line on
/// stderr and exit code (2 for a configuration that does not load).
func perform(_ arguments: ParsedArguments, _ body: (Config) throws -> String) -> Int32 {
    guard let config = ConfigOption.load(arguments) else { return 2 }
    do {
        Console.print(try body(config))
        return 0
    } catch let error as AppError {
        Console.error(error.description)
        return error.exitCode
    } catch {
        Console.error("\(error)")        // Administration throws only AppError; this keeps the signature simple
        return 1
    }
}
