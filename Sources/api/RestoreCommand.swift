import App

/// `api restore FILE`: replaces the database with a backup (DESIGN §13).
enum RestoreCommand: Command {
    static let name = "restore"
    static let summary = "Replace the database with the backup FILE (server stopped)"
    static let usage = "FILE [--config FILE]"
    static let details = """
        Checks FILE with PRAGMA integrity_check, then replaces the configured database with it (mode 0600); refused \
        while a server has the database open. A FILE.key beside it (made by 'api backup --with-secret') becomes the \
        generated signing secret. The next 'api serve' migrates a backup made by an older binary as usual.
        """
    static let options = [ConfigOption.option]

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        let path = try arguments.onlyPositional("the backup's file name")
        return perform(arguments) { (config: Config) in try Administration.restore(config, from: path) }
    }
}
