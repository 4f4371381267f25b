import App

/// `--config FILE`, shared by every command that reads the configuration.
enum ConfigOption {
    /// The option's declaration.
    static let option = Option("--config", value: "FILE", help: "JSON configuration file (default ./api.json if it exists)")

    /// The configuration from the file, the environment and `flags` (key path, flag, value), or one line
    /// on stderr and nil when it is invalid (the caller exits 2).
    static func load(_ arguments: ParsedArguments, flags: [(path: String, flag: String, value: String)] = []) -> Config? {
        do {
            return try ConfigLoader.load(file: arguments.value("--config"), environment: Environment.current, flags: flags)
        } catch {
            Console.error(error.description)
            return nil
        }
    }
}
