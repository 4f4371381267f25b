/// Whether requests are logged: all, none, or one in N.
public enum AccessLogMode: Sendable, Equatable {
    case on, off
    case sample(Int)

    /// Parses `on`, `off` or `sample:N` (N >= 1).
    public init?(_ text: String) {
        switch text {
        case "on": self = .on
        case "off": self = .off
        default:
            guard text.hasPrefix("sample:"), let every = Int(text.dropFirst(7)), every >= 1 else { return nil }
            self = .sample(every)
        }
    }
}
