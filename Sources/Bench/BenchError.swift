/// Why a bench run could not start: a mistake in how it was asked for (exit 2) or a target it cannot reach (exit 1).
public enum BenchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The arguments are wrong: a malformed URL, an unsupported scheme, a bad number or duration.
    case usage(String)
    /// The target could not be resolved or connected to.
    case unreachable(String)

    public var description: String {
        switch self {
        case .usage(let message), .unreachable(let message): message
        }
    }
}
