import Glibc
import Storage

/// A fresh directory under /tmp for one test's database files (R13: each test isolated).
func temporaryDatabasePath(_ name: String = "test.db") -> String {
    var template = Array("/tmp/api-storage-XXXXXX".utf8CString)
    let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }  // fails only if /tmp is unusable
    return directory + "/" + name
}

/// Gives `body` a fresh on-disk database that is closed afterwards.
func withTemporaryDatabase<T>(_ body: (Database) throws -> T) throws -> T {
    let database = try Database(path: temporaryDatabasePath())
    return try body(database)
}
