/// One row of a `PostgresResult`, read by column index in PostgreSQL's text format
/// (https://www.postgresql.org/docs/15/datatype.html: integers in decimal, booleans `t`/`f`, bytea `\x` and hex).
/// A value that does not read as the type asked for is a programming error (the SQL names its columns' types).
public struct PostgresRow: Sendable {
    /// The values in column order; nil is SQL NULL.
    public let values: [String?]

    /// The row with `values`.
    public init(_ values: [String?]) {
        self.values = values
    }

    /// Whether column `index` is NULL.
    public func isNull(_ index: Int) -> Bool { values[index] == nil }

    /// Column `index` as text ("" for NULL).
    public func string(_ index: Int) -> String { values[index] ?? "" }

    /// Column `index` as text, or nil for NULL.
    public func optionalString(_ index: Int) -> String? { values[index] }

    /// Column `index`, a `bigint` or `integer` (0 for NULL).
    public func int64(_ index: Int) -> Int64 { optionalInt64(index) ?? 0 }

    /// Column `index`, a `bigint` or `integer`, or nil for NULL.
    public func optionalInt64(_ index: Int) -> Int64? {
        guard let text = values[index] else { return nil }
        guard let value = Int64(text) else { preconditionFailure("column \(index) is not an integer: \(text)") }
        return value
    }

    /// Column `index` as an `Int`.
    public func int(_ index: Int) -> Int { Int(int64(index)) }

    /// Column `index`, a `boolean`.
    public func bool(_ index: Int) -> Bool { values[index] == "t" }

    /// Column `index`, a `bytea` in hex format (`\x0a1b`), as bytes; empty for NULL.
    public func bytes(_ index: Int) -> [UInt8] {
        guard let text = values[index] else { return [] }
        let digits = Array(text.utf8.dropFirst(2))
        precondition(text.hasPrefix("\\x") && digits.count % 2 == 0, "column \(index) is not a bytea in hex format")
        return stride(from: 0, to: digits.count, by: 2).map { Self.nibble(digits[$0]) << 4 | Self.nibble(digits[$0 + 1]) }
    }

    private static func nibble(_ digit: UInt8) -> UInt8 {
        digit <= UInt8(ascii: "9") ? digit - UInt8(ascii: "0") : (digit | 0x20) - UInt8(ascii: "a") + 10
    }
}

extension PostgresResult {
    /// The rows, each readable by type.
    public var records: [PostgresRow] { rows.map(PostgresRow.init) }
}
