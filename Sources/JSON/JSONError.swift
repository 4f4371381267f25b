/// Why and where a JSON text was rejected.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset of the offending byte from the start of the input (0-based); the input's length
    /// when it ended too early.
    public var offset: Int
    /// Line of `offset`, 1-based; lines end at LF.
    public var line: Int
    /// Column of `offset` within its line, 1-based, counted in Unicode scalars as editors do.
    public var column: Int
    /// What was wrong, e.g. "expected value", "trailing comma" or "duplicate key \"sub\"".
    public var reason: String

    /// Makes an error.
    public init(reason: String, offset: Int, line: Int, column: Int) {
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// "`reason` at line L column C".
    public var description: String {
        "\(reason) at line \(line) column \(column)"
    }
}
