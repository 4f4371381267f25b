import Dispatch
import Glibc
import Net
import Synchronization

/// The backups `api serve` makes every `backup.interval_s` into `backup.dir` (DESIGN §13), on a thread of its own
/// with a connection of its own: the event loops and the writer never wait for one. Each is named after the time it
/// was made (`api-20261204T135500123Z.db`, so names sort by age); past `backup.keep` the oldest are deleted.
final class BackupSchedule: Sendable {
    private let settings: BackupSettings
    private let database: DatabaseSettings
    private let metrics: BackupMetrics
    private let logger: Logger
    private let time: any TimeSource
    private let stopped = DispatchSemaphore(value: 0)
    private let thread = Mutex<OSThread?>(nil)

    /// nice(1) increment of a backup's thread: on a busy machine the loops and the writer get the CPU first, and a
    /// backup takes longer instead of making requests slower (docs/benchmarks.md, "Backups").
    static let niceness: Int32 = 10

    /// The file names of backups: this prefix, a compact UTC timestamp, this suffix.
    static let namePrefix = "api-"
    static let nameSuffix = ".db"

    init(settings: BackupSettings, database: DatabaseSettings, metrics: BackupMetrics, logger: Logger, time: any TimeSource) {
        self.settings = settings
        self.database = database
        self.metrics = metrics
        self.logger = logger
        self.time = time
    }

    private var folder: String { settings.folder(dataDirectory: database.directory) }

    /// Starts making backups, the first one an interval from now.
    func start() {
        thread.withLock { $0 = OSThread(name: "backups") { [self] in run() } }
    }

    /// Stops the schedule, waiting for a backup in progress to finish (it is one read of the database).
    func stop() {
        stopped.signal()
        thread.withLock { $0?.join() }
    }

    private func run() {
        OSThread.lowerCurrentPriority(by: Self.niceness)
        while stopped.wait(timeout: .now() + .seconds(settings.intervalSeconds)) == .timedOut {
            backUpOnce()
        }
    }

    /// Makes one backup, records it, and deletes the oldest past `keep`.
    func backUpOnce() {
        let stamp = Timestamp.format(milliseconds: time.wallMilliseconds()).filter { $0 != "-" && $0 != ":" && $0 != "." }
        let path = folder + "/" + Self.namePrefix + stamp + Self.nameSuffix
        do {
            try FileSystem.makeDirectories(folder, mode: 0o700)
            let (bytes, seconds) = try database.backUp(to: path)
            metrics.succeeded(at: time.wallMilliseconds(), durationSeconds: seconds, bytes: bytes)
            logger.info("backup.completed", ["path": .string(path), "bytes": .integer(Int64(bytes)), "duration_s": .double(seconds)])
            deleteOldest()
        } catch {
            metrics.failed()
            logger.error("backup.failed", ["path": .string(path), "error": .string("\(error)")])
        }
    }

    /// Deletes scheduled backups past the newest `keep` (only files this schedule names; nothing else in the folder).
    private func deleteOldest() {
        let names = Self.backupNames(in: folder).sorted()
        for name in names.dropLast(settings.keep) {
            unlink(folder + "/" + name)
            logger.info("backup.deleted", ["path": .string(folder + "/" + name)])
        }
    }

    /// The names of the scheduled backups in `folder`.
    static func backupNames(in folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(namePrefix) && name.hasSuffix(nameSuffix) { names.append(name) }
        }
        return names
    }
}
