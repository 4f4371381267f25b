/// How a finished child process ended and what it wrote.
public struct ProcessResult: Sendable, CustomStringConvertible {
    /// The exit code, or 128 + the signal number if a signal ended it.
    public var status: Int32
    /// Everything written to stdout.
    public var stdout: String
    /// Everything written to stderr.
    public var stderr: String

    /// The non-empty lines of stderr.
    public var stderrLines: [Substring] { stderr.split(separator: "\n") }

    public var description: String { "exit \(status)\nstdout: \(stdout.prefix(2000))\nstderr: \(stderr.prefix(2000))" }
}
