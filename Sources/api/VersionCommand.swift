import App

/// `api version`.
enum VersionCommand: Command {
    static let name = "version"
    static let summary = "Print the version"
    static let usage = ""
    static let options: [Option] = []

    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32 {
        guard arguments.positionals.isEmpty else { throw UsageError("takes no arguments") }
        Console.print("api \(Version.current)\n")
        return 0
    }
}
