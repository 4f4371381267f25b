import CSQLite
import Glibc

/// Copies the WAL back into the database file on its own thread and connection, so the writer never waits for
/// it. With `synchronous=NORMAL`, a checkpoint is where SQLite fsyncs (https://sqlite.org/pragma.html#pragma_synchronous);
/// run by the writer itself (SQLite's automatic checkpoint), every thousandth page stalled every pending write
/// behind two fsyncs. A PASSIVE checkpoint copies what no reader still needs and never blocks the writer.
final class Checkpointer: @unchecked Sendable {
    private var mutex = pthread_mutex_t()        // guards isDue and isStopping
    private var condition = pthread_cond_t()
    private var isDue = false
    private var isStopping = false
    private let database: Database               // checkpointer thread only, once started
    private var thread = pthread_t()

    /// WAL pages after which a checkpoint is asked for: four times SQLite's automatic threshold. A stream of small
    /// writes rewrites the same few pages, and a checkpoint copies each page once however many frames hold it,
    /// so checkpointing a quarter as often does about a quarter of the copying and fsyncs. It stays below one
    /// 4096-frame block of the WAL index, which readers search for each page they read.
    static let threshold: Int32 = 4000

    init(path: String, options: DatabaseOptions) throws(SQLiteError) {
        database = try Database(path: path, options: options)
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
        thread = StorageThread.start { self.run() }
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    /// Asks for a checkpoint soon; cheap enough for the writer to call after any commit.
    func request() {
        pthread_mutex_lock(&mutex)
        isDue = true
        pthread_cond_signal(&condition)
        pthread_mutex_unlock(&mutex)
    }

    /// Runs a last, complete checkpoint (the database file then holds everything) and stops the thread.
    func stop() {
        pthread_mutex_lock(&mutex)
        isStopping = true
        pthread_cond_signal(&condition)
        pthread_mutex_unlock(&mutex)
        pthread_join(thread, nil)
    }

    private func run() {
        while waitUntilDue() { try? database.executeScript("PRAGMA wal_checkpoint(PASSIVE)") }
        try? database.executeScript("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Waits for a request; `false` when it is time to stop instead.
    private func waitUntilDue() -> Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while !isDue && !isStopping { pthread_cond_wait(&condition, &mutex) }
        isDue = false
        return !isStopping
    }
}
