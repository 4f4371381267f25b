import Storage

extension SQLiteError: EngineFailure {
    /// SQLite's result code in App's words (https://sqlite.org/rescode.html).
    var meaning: StoreError {
        if isBusy { return .busy }
        if isUniqueViolation { return .uniqueViolation }
        return isConstraintViolation ? .constraintViolation : .failed
    }
}
