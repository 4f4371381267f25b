import CSQLite

/// The current row of a statement that has just stepped onto one; valid until the next step or reset.
///
/// Columns are 0-based, in the order of the SELECT list. A NULL reads as 0, 0.0, "" or [] from the
/// non-optional accessors; use `isNull` or the optional ones where NULL means something.
public struct Row {
    let statement: OpaquePointer

    /// The INTEGER in `column`.
    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    /// The INTEGER in `column`, as `Int`.
    public func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }

    /// The INTEGER in `column` read as a Boolean (non-zero is `true`).
    public func bool(_ column: Int32) -> Bool { sqlite3_column_int64(statement, column) != 0 }

    /// The REAL in `column`.
    public func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }

    /// The TEXT in `column`, decoded as UTF-8.
    public func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))     // after column_text, as the docs require
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The TEXT in `column`, or nil for NULL.
    public func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }

    /// The INTEGER in `column`, or nil for NULL.
    public func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    /// The BLOB in `column`.
    public func blob(_ column: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(statement, column) else { return [] }
        let count = Int(sqlite3_column_bytes(statement, column))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// `true` when `column` is NULL.
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
}
