import CSQLite
import Glibc
import Testing
@testable import Storage

/// The thin SQLite layer: configuration, typed binding and reading, statement checks, transactions.
@Suite struct DatabaseTests {
    @Test func opensInWALWithForeignKeysOn() throws {
        try withTemporaryDatabase { (database: Database) throws in
            #expect(try database.queryOne("PRAGMA journal_mode") { $0.string(0) } == "wal")
            #expect(try database.queryOne("PRAGMA foreign_keys") { $0.int(0) } == 1)
            #expect(try database.queryOne("PRAGMA synchronous") { $0.int(0) } == 1, "NORMAL")
        }
    }

    @Test func fullSynchronousComesFromOptions() throws {
        var options = DatabaseOptions()
        options.synchronous = .full
        let database = try Database(path: temporaryDatabasePath(), options: options)
        #expect(try database.queryOne("PRAGMA synchronous") { $0.int(0) } == 2)
    }

    @Test func valuesRoundTripWithTheirTypes() throws {
        try withTemporaryDatabase { (database: Database) throws in
            try database.executeScript("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, f REAL, flag INTEGER, maybe TEXT)")
            let text = "é\u{0}ü 😀 \"quoted\""
            try database.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", Int64.min, text, [0, 255, 7] as [UInt8], 0.5, true, String?.none)
            let row = try #require(try database.queryOne("SELECT i, s, b, f, flag, maybe FROM t") { row in
                (row.int64(0), row.string(1), row.blob(2), row.double(3), row.bool(4), row.optionalString(5))
            })
            #expect(row.0 == Int64.min)
            #expect(row.1 == text, "TEXT with an embedded NUL and non-ASCII survives")
            #expect(row.2 == [0, 255, 7])
            #expect(row.3 == 0.5)
            #expect(row.4 == true)
            #expect(row.5 == nil)
        }
    }

    @Test func anEmptyBlobIsNotNull() throws {
        try withTemporaryDatabase { (database: Database) throws in
            try database.executeScript("CREATE TABLE t (b BLOB NOT NULL)")
            try database.execute("INSERT INTO t VALUES (?)", [UInt8]())
            #expect(try database.queryOne("SELECT length(b) FROM t") { $0.int(0) } == 0)
        }
    }

    @Test func aSecondStatementInOnePrepareIsRefused() throws {
        let database = try Database(path: temporaryDatabasePath())
        let error = #expect(throws: SQLiteError.self) { try database.execute("SELECT 1; DROP TABLE x") }
        #expect(error?.message == "more than one statement")
    }

    @Test func theWrongNumberOfArgumentsIsRefused() throws {
        let database = try Database(path: temporaryDatabasePath())
        #expect(throws: SQLiteError.self) { try database.execute("SELECT ?, ?", 1) }
    }

    @Test func errorsCarryTheSQLAndTheExtendedCode() throws {
        try withTemporaryDatabase { (database: Database) throws in
            try database.executeScript("CREATE TABLE t (k TEXT UNIQUE)")
            try database.execute("INSERT INTO t VALUES (?)", "a")
            let error = #expect(throws: SQLiteError.self) { try database.execute("INSERT INTO t VALUES (?)", "a") }
            #expect(error?.isUniqueViolation == true)
            #expect(error?.isConstraintViolation == true)
            #expect(error?.sql == "INSERT INTO t VALUES (?)")
            #expect(error?.description.contains("UNIQUE constraint failed: t.k") == true)
        }
    }

    @Test func aThrowingWriteLeavesNothingBehind() throws {
        struct Abort: Error {}
        try withTemporaryDatabase { (database: Database) throws in
            try database.executeScript("CREATE TABLE t (v INTEGER)")
            #expect(throws: Abort.self) {
                try database.write { database in
                    try database.execute("INSERT INTO t VALUES (1)")
                    throw Abort()
                }
            }
            #expect(try database.queryOne("SELECT count(*) FROM t") { $0.int(0) } == 0)
            #expect(!database.isInTransaction)
        }
    }

    @Test func aSavepointUndoesOnlyItsOwnChanges() throws {
        try withTemporaryDatabase { (database: Database) throws in
            try database.executeScript("CREATE TABLE t (v INTEGER UNIQUE)")
            try database.write { database in
                try database.execute("INSERT INTO t VALUES (1)")
                _ = try? database.savepoint { database in
                    try database.execute("INSERT INTO t VALUES (2)")
                    try database.execute("INSERT INTO t VALUES (1)")          // fails: undoes 2 as well
                }
                try database.execute("INSERT INTO t VALUES (3)")
            }
            #expect(try database.query("SELECT v FROM t ORDER BY v") { $0.int(0) } == [1, 3])
        }
    }

    @Test func cachedStatementsAreResetBetweenUses() throws {
        try withTemporaryDatabase { (database: Database) throws in
            try database.executeScript("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3)")
            for _ in 0..<3 {
                #expect(try database.queryOne("SELECT v FROM t ORDER BY v") { $0.int(0) } == 1)
            }
            #expect(try database.query("SELECT v FROM t WHERE v > ? ORDER BY v", 1) { $0.int(0) } == [2, 3])
        }
    }

    @Test func aFileThatIsNotADatabaseIsReportedByPath() throws {
        let path = temporaryDatabasePath()
        let fd = open(path, O_WRONLY | O_CREAT, 0o600)
        _ = write(fd, "this is not sqlite, just text that fills a page header....................................................", 100)
        close(fd)
        #expect(throws: SQLiteError.self) { _ = try Database(path: path) }
    }
}
