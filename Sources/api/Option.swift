/// A command-line option a command accepts.
struct Option {
    /// Every spelling (`--duration`, `-d`).
    let names: [String]
    /// Whether a value follows (`--port 8000` or `--port=8000`).
    let takesValue: Bool
    /// Whether it may be given more than once (`-H` for bench).
    let repeatable: Bool
    /// The value's placeholder and the option's help line.
    let valueName: String
    let help: String

    init(_ names: String..., value valueName: String = "", repeatable: Bool = false, help: String) {
        self.names = names
        takesValue = !valueName.isEmpty
        self.repeatable = repeatable
        self.valueName = valueName
        self.help = help
    }

    /// The canonical (first) spelling, used as the key of parsed values.
    var name: String { names[0] }
}
