/// A configuration problem, named by where it came from (`server.port`, `API_SERVER_PORT`, `--port`, a file).
///
/// Start-up stops on it with exit code 2 and this one line.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key path, variable, flag or file at fault.
    public let source: String
    /// What was wrong and what was expected.
    public let problem: String

    /// An error about `source`.
    public init(_ source: String, _ problem: String) {
        self.source = source
        self.problem = problem
    }

    public var description: String { "\(source): \(problem)" }
}
