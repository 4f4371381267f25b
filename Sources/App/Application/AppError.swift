/// Why `serve` or an admin command cannot do what was asked: one line for stderr, and the exit code.
public struct AppError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what to do.
    public let description: String
    /// 2 for usage and configuration mistakes (bad input), 1 for everything else.
    public let exitCode: Int32

    /// An error with the given line and exit code.
    public init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }
}
