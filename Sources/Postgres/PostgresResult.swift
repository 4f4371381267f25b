/// The rows a statement returned, in PostgreSQL's text format, and its command tag (`INSERT 0 1`, `SELECT 3`).
public struct PostgresResult: Sendable, Equatable {
    /// The column names, in order.
    public let columns: [String]
    /// Each row's values in column order; nil is SQL NULL.
    public let rows: [[String?]]
    /// The command tag the server answered with.
    public let command: String

    /// A result with the given parts.
    public init(columns: [String], rows: [[String?]], command: String) {
        self.columns = columns
        self.rows = rows
        self.command = command
    }

    /// How many rows the statement changed, from its command tag (0 when it names none).
    public var affectedRows: Int {
        command.split(separator: " ").last.flatMap { Int($0) } ?? 0
    }
}
