import Postgres

extension PostgresError: EngineFailure {
    /// The failure in App's words, by SQLSTATE (https://www.postgresql.org/docs/15/errcodes-appendix.html).
    var meaning: StoreError {
        if kind == .connection { return .unavailable }
        switch sqlState {
        case "23505": return .uniqueViolation
        case let state? where state.hasPrefix("23"): return .constraintViolation
        case "40001", "40P01", "55P03": return .busy           // serialization failure, deadlock, lock not available
        default: return .failed
        }
    }

    /// Whether a foreign key would dangle (a `restrict` reference still names the row).
    var isForeignKeyViolation: Bool { sqlState == "23503" }
}
