/// Log severities, least severe first.
public enum LogLevel: Int, Sendable, Comparable {
    case debug, info, warning, error

    /// Parses the config spelling (`debug`, `info`, `warning`, `error`).
    public init?(_ text: String) {
        switch text {
        case "debug": self = .debug
        case "info": self = .info
        case "warning": self = .warning
        case "error": self = .error
        default: return nil
        }
    }

    /// The spelling used in log lines.
    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
