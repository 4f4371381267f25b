import Metrics
import Synchronization

/// The `api_backup_*` metrics: the last scheduled backup that succeeded (when, how long, how large) and the counts.
final class BackupMetrics: Sendable {
    private struct Last {
        var succeededAtMilliseconds: Int64 = 0
        var durationSeconds = 0.0
        var bytes = 0
        var succeeded = 0
        var failed = 0
    }

    private let last = Mutex(Last())

    /// Records a backup of `bytes` that took `durationSeconds` and finished at `milliseconds` (Unix time).
    func succeeded(at milliseconds: Int64, durationSeconds: Double, bytes: Int) {
        last.withLock { last in
            last.succeededAtMilliseconds = milliseconds
            last.durationSeconds = durationSeconds
            last.bytes = bytes
            last.succeeded += 1
        }
    }

    /// Records a backup that failed.
    func failed() {
        last.withLock { $0.failed += 1 }
    }

    /// Writes the families; a process that has made no backup shows 0 for the last one.
    func write(to writer: inout ExpositionWriter) {
        let last = last.withLock { $0 }
        writer.single("api_backup_last_success_timestamp_seconds", .gauge, help: "When the last backup of this process succeeded (Unix time); 0 before the first.", Double(last.succeededAtMilliseconds) / 1000)
        writer.single("api_backup_last_duration_seconds", .gauge, help: "How long the last successful backup took.", last.durationSeconds)
        writer.single("api_backup_last_size_bytes", .gauge, help: "The size of the last successful backup.", Double(last.bytes))
        writer.single("api_backups_total", .counter, help: "Scheduled backups that succeeded.", Double(last.succeeded))
        writer.single("api_backup_failures_total", .counter, help: "Scheduled backups that failed.", Double(last.failed))
    }
}
