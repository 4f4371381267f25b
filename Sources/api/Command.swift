/// A subcommand of `api`: its name, its help, its options, and what it does.
protocol Command: Sendable {
    /// The word after `api`.
    static var name: String { get }
    /// One line for the command list.
    static var summary: String { get }
    /// The usage line after `api NAME`.
    static var usage: String { get }
    /// Extra help text after the options, or "".
    static var details: String { get }
    /// The options accepted.
    static var options: [Option] { get }
    /// Runs with parsed arguments; returns the exit code (0 success, 1 runtime failure, 2 usage).
    static func run(_ arguments: ParsedArguments) throws(UsageError) -> Int32
}

extension Command {
    static var details: String { "" }

    /// The full help text of the command.
    static var help: String {
        var text = "\(summary)\n\nUsage: api \(name) \(usage)\n"
        if !options.isEmpty {
            text += "\nOptions:\n"
            for option in options {
                let spelling = option.names.joined(separator: ", ") + (option.takesValue ? " \(option.valueName)" : "")
                text += "  " + spelling.padding(to: 26) + option.help + "\n"
            }
            text += "  " + "-h, --help".padding(to: 26) + "Show this help\n"
        }
        if !details.isEmpty { text += "\n" + details + "\n" }
        return text
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
