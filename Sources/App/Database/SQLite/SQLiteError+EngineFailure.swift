import HTTP
import Storage

extension SQLiteError: EngineFailure {
    /// SQLite's result code in App's words (https://sqlite.org/rescode.html).
    var meaning: StoreError {
        if isBusy { return .busy }
        if isUniqueViolation { return .uniqueViolation }
        return isConstraintViolation ? .constraintViolation : .failed
    }
}

extension SQLiteError {
    /// Whether a foreign key would dangle (a `restrict` reference still names the row).
    var isForeignKeyViolation: Bool { isConstraintViolation && message.contains("FOREIGN KEY") }

    /// The columns a unique violation names: `UNIQUE constraint failed: projects.owner_id, projects.name` gives
    /// `owner_id`, `name`.
    var uniqueColumns: [String] {
        guard let list = message.split(separator: ":", maxSplits: 1).last else { return [] }
        return list.split(separator: ",").map { String(($0.split(separator: ".").last ?? $0).trimmingWhitespace()) }
    }
}
