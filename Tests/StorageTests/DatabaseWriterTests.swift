import Glibc
import Synchronization
import Testing
@testable import Storage

/// The single writer: group commit, per-write failure isolation, completion only after commit, busy waits.
@Suite struct DatabaseWriterTests {
    private static func makeWriter() throws -> (DatabaseWriter, String) {
        let path = temporaryDatabasePath()
        try Database(path: path).executeScript("CREATE TABLE t (v INTEGER UNIQUE)")
        return (try DatabaseWriter(path: path), path)
    }

    @Test func concurrentWritesAllCommitInFewerTransactions() throws {
        let (writer, path) = try Self.makeWriter()
        let finished = Atomic<Int>(0), failed = Atomic<Int>(0)
        let threads = 8, perThread = 200
        var handles: [pthread_t] = []
        for thread in 0..<threads {
            handles.append(spawn {
                for index in 0..<perThread {
                    let value = thread * perThread + index
                    writer.submit({ database in try database.execute("INSERT INTO t VALUES (?)", value) }) { result in
                        if case .failure = result { failed.add(1, ordering: .relaxed) }
                        finished.add(1, ordering: .relaxed)
                    }
                }
            })
        }
        for handle in handles { pthread_join(handle, nil) }
        writer.stop()
        #expect(finished.load(ordering: .relaxed) == threads * perThread)
        #expect(failed.load(ordering: .relaxed) == 0)
        #expect(try Database(path: path).queryOne("SELECT count(*) FROM t") { $0.int(0) } == threads * perThread)
        #expect(writer.committedBatches < threads * perThread, "writes that arrive together share a commit")
    }

    @Test func aFailingWriteDoesNotUndoItsNeighbours() throws {
        let (writer, path) = try Self.makeWriter()
        try writer.write { database in try database.execute("INSERT INTO t VALUES (1)") }
        let results = Mutex<[Int: Bool]>([:])
        // Queued while the writer is busy with a slow write, so they land in one batch.
        writer.submit({ _ in usleep(50_000) }) { _ in }
        for value in [2, 1, 3] {
            writer.submit({ database in try database.execute("INSERT INTO t VALUES (?)", value) }) { result in
                results.withLock { if case .success = result { $0[value] = true } else { $0[value] = false } }
            }
        }
        writer.stop()
        #expect(results.withLock { $0 } == [2: true, 1: false, 3: true])
        #expect(try Database(path: path).query("SELECT v FROM t ORDER BY v") { $0.int(0) } == [1, 2, 3])
    }

    @Test func theCompletionSeesTheWriteAlreadyCommitted() throws {
        let (writer, path) = try Self.makeWriter()
        let visible = Mutex<Bool?>(nil)
        let reader = LockedReader(try Database(path: path))
        writer.submit({ database in try database.execute("INSERT INTO t VALUES (42)") }) { _ in
            // Another connection: it sees only committed data.
            visible.withLock { $0 = reader.countOf(42) == 1 }
        }
        writer.stop()
        #expect(visible.withLock { $0 } == true)
    }

    @Test func writesAfterStopFailAtOnce() throws {
        let (writer, _) = try Self.makeWriter()
        writer.stop()
        #expect(throws: SQLiteError.self) { try writer.write { database in try database.execute("INSERT INTO t VALUES (1)") } }
    }

    @Test func aWriteWaitsForAnotherProcessesLockInsteadOfFailing() throws {
        let (writer, path) = try Self.makeWriter()
        let other = LockedReader(try Database(path: path))
        try other.execute("BEGIN IMMEDIATE")
        let released = spawn {
            usleep(200_000)
            try? other.execute("COMMIT")
        }
        try writer.write { database in try database.execute("INSERT INTO t VALUES (5)") }
        pthread_join(released, nil)
        writer.stop()
        #expect(try Database(path: path).queryOne("SELECT count(*) FROM t") { $0.int(0) } == 1)
    }

    /// A cache of a table's rows learns of a change by the writer's count of commits that changed it: counted
    /// before the commit's completions run, never for a write that was rolled back or for another table.
    @Test func commitsThatChangeAWatchedTableAreCountedBeforeTheirCompletions() throws {
        let path = temporaryDatabasePath()
        try Database(path: path).executeScript("CREATE TABLE t (v INTEGER UNIQUE); CREATE TABLE u (w INTEGER)")
        let writer = try DatabaseWriter(path: path, watching: ["t"])
        defer { writer.stop() }
        let commits = writer.commitCount(changing: "t")
        try writer.write { database in try database.execute("INSERT INTO u VALUES (1)") }
        #expect(commits.value == 0, "another table")
        let seenByCompletion = Mutex<Int?>(nil)
        let done = Semaphore()
        writer.submit({ database in try database.execute("INSERT INTO t VALUES (1)") }) { _ in
            seenByCompletion.withLock { $0 = commits.value }
            done.signal()
        }
        done.wait()
        #expect(seenByCompletion.withLock { $0 } == 1)
        #expect(throws: SQLiteError.self) { try writer.write { database in try database.execute("INSERT INTO t VALUES (1)") } }
        try? writer.write { database in
            try database.execute("UPDATE t SET v = 2")
            throw SQLiteError(code: 1, message: "changed its mind")
        }
        #expect(commits.value == 1, "rolled-back writes are not counted")
        try writer.write { database in try database.execute("DELETE FROM t WHERE v = 1") }
        #expect(commits.value == 2)
    }

    /// Regression: `Application.close()` may run after `stop(_:)` already stopped the writer (a test's `defer`);
    /// joining the writer's thread a second time is undefined behaviour, so a second `stop()` must do nothing.
    @Test func stoppingTwiceIsHarmless() throws {
        let (writer, _) = try Self.makeWriter()
        writer.stop()
        writer.stop()
        #expect(throws: SQLiteError.self) { try writer.write { database in try database.execute("SELECT 1") } }
    }
}

/// A connection used from another thread in a test; the lock keeps it used by one thread at a time.
private final class LockedReader: @unchecked Sendable {
    private let database: Database
    private let lock = Mutex(())
    init(_ database: Database) { self.database = database }
    func execute(_ sql: String) throws { try lock.withLock { _ in try database.execute(sql) } }
    func countOf(_ value: Int) -> Int {
        lock.withLock { _ in (try? database.queryOne("SELECT count(*) FROM t WHERE v = ?", value) { $0.int(0) }) ?? -1 }
    }
}

/// Starts a thread running `body` and returns its handle for `pthread_join`.
private func spawn(_ body: @escaping @Sendable () -> Void) -> pthread_t {
    StorageThread.start(body)
}
