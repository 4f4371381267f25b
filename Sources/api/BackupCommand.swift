import App

/// `api backup FILE [--with-secret]`: a consistent online copy of the database (DESIGN §13).
enum BackupCommand: Command {
    static let name = "backup"
    static let summary = "Copy the database to FILE while it serves"
    static let usage = "FILE [--with-secret] [--config FILE]"
    static let details = """
        Writes one consistent snapshot of the database to FILE (mode 0600) while servers go on writing (they are not \
        paused), syncs it to disk and checks it with PRAGMA integrity_check before it appears at FILE; an existing FILE \
        is replaced. The signing secret is not in a backup unless --with-secret copies the generated one (secret.key in \
        the data directory) to FILE.key. Restore with 'api restore FILE'.
        """
    static let options = [
        Option("--with-secret", help: "Also copy the generated signing secret to FILE.key (0600)"),
        ConfigOption.option,
    ]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        guard arguments.positionals.count == 1 else {
            throw UsageError(arguments.positionals.isEmpty ? "expected the backup's file name" : "unexpected argument '\(arguments.positionals[1])'")
        }
        let path = arguments.positionals[0]
        guard let config = ConfigOption.load(arguments) else { return 2 }
        do {
            Console.print(try Administration.backUp(config, to: path, withSecret: arguments.has("--with-secret")))
            return 0
        } catch {
            Console.error(error.description)
            return error.exitCode
        }
    }
}
