/// The options and positional arguments of one command line, checked against the command's options.
struct ParsedArguments {
    private(set) var values: [String: [String]] = [:]
    private(set) var positionals: [String] = []

    /// Parses `arguments` for `options`; `--help` is always accepted.
    init(_ arguments: [String], options: [Option]) throws(UsageError) {
        var byName: [String: Option] = [:]
        for option in options { for name in option.names { byName[name] = option } }
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                positionals.append(argument)
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            if argument == "--help" || argument == "-h" { values["--help"] = [""]; continue }
            let (name, inlineValue) = Self.split(argument)
            guard let option = byName[name] else { throw UsageError("unknown option '\(name)'") }
            guard option.takesValue else {
                if inlineValue != nil { throw UsageError("option '\(name)' takes no value") }
                values[option.name] = [""]
                continue
            }
            guard let value = inlineValue ?? (index < arguments.count ? arguments[index] : nil) else {
                throw UsageError("option '\(name)' needs a value (\(option.valueName))")
            }
            if inlineValue == nil { index += 1 }
            if values[option.name] != nil && !option.repeatable { throw UsageError("option '\(name)' given twice") }
            values[option.name, default: []].append(value)
        }
    }

    /// `true` when the flag (an option without value) was given.
    func has(_ name: String) -> Bool { values[name] != nil }

    /// The value of an option given once, or nil.
    func value(_ name: String) -> String? { values[name]?.last }

    /// Throws unless every option given is one of `allowed` (for a subcommand that takes fewer options
    /// than its command declares): `api user list --admin` is a mistake, not something to ignore.
    func allowOnly(_ allowed: [String], in subcommand: String) throws(UsageError) {
        if let stray = values.keys.sorted().first(where: { $0 != "--help" && !allowed.contains($0) }) {
            throw UsageError("option '\(stray)' does not apply to '\(subcommand)'")
        }
    }

    /// The one positional argument of a command that takes exactly one (`what` names it when it is missing).
    func onlyPositional(_ what: String) throws(UsageError) -> String {
        guard positionals.count == 1 else {
            throw UsageError(positionals.isEmpty ? "expected \(what)" : "unexpected argument '\(positionals[1])'")
        }
        return positionals[0]
    }

    /// Exactly `count` positional arguments after the subcommand, or a usage error naming `what` they are.
    func operands(_ count: Int, after subcommand: String, _ what: String) throws(UsageError) -> [String] {
        let operands = Array(positionals.dropFirst())
        guard operands.count == count else {
            throw UsageError(operands.count < count ? "'\(subcommand)' needs \(what)" : "unexpected argument '\(operands[count])'")
        }
        return operands
    }

    /// Every value of a repeatable option, in order.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// `--name=value`, and a one-letter option with its value attached as wrk writes them (`-c64`, `-d10s`).
    private static func split(_ argument: String) -> (String, String?) {
        if argument.hasPrefix("--") {
            guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
            return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
        }
        guard argument.count > 2 else { return (argument, nil) }
        let nameEnd = argument.index(argument.startIndex, offsetBy: 2)
        return (String(argument[..<nameEnd]), String(argument[nameEnd...]))
    }
}
