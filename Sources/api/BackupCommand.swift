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
        let path = try arguments.onlyPositional("the backup's file name")
        return perform(arguments) { (config: Config) in try Administration.backUp(config, to: path, withSecret: arguments.has("--with-secret")) }
    }
}
