import Net

extension DatabaseSettings {
    /// A backup of this database at `path` (the engine's `backUp`), with how long it took: what `api backup` prints
    /// and the scheduled backups record.
    /// - Throws: `AppError` saying what failed; nothing is left at `path` then.
    func backUp(to path: String) throws(AppError) -> (bytes: Int, seconds: Double) {
        let started = MonotonicClock.nanoseconds()
        let bytes = try engine.backUp(self, to: path)
        return (bytes, Double(MonotonicClock.nanoseconds() - started) / 1e9)
    }
}
