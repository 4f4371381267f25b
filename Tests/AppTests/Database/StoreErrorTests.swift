import AppTestKit
import Storage
import Testing
import TestKit
@testable import App

/// The engine's failures reach App in engine-neutral words: what the error mapping and the job runner decide on.
@Suite struct StoreErrorTests {
    private static func token(_ id: String, user: Int64) -> TokenRecord {
        TokenRecord(id: id, userID: user, kind: .access, family: "f", secretDigest: nil, scope: "", issuedAt: 1, expiresAt: 2)
    }

    @Test func aTakenKeyIsAUniqueViolationAndAMissingParentAConstraintViolation() throws {
        try withSeparateStore(LiveServer.testDefaults) { store in
            let user = try store.write { try $0.users.insert(name: "u", email: "u@example.com", passwordHash: "x", isAdmin: false, at: "t").id }
            try store.write { try $0.tokens.insert(Self.token("one", user: user)) }
            #expect(throws: StoreError.uniqueViolation) {
                try Self.rethrowingStoreError { try store.write { try $0.tokens.insert(Self.token("one", user: user)) } }
            }
            #expect(throws: StoreError.constraintViolation, "a token of no user: the foreign key refuses it") {
                try Self.rethrowingStoreError { try store.write { try $0.tokens.insert(Self.token("two", user: user + 1)) } }
            }
        }
    }

    @Test func theEmailOfAnotherAccountIsRefusedByName() throws {
        try withSeparateStore(LiveServer.testDefaults) { store in
            _ = try store.write { try $0.users.insert(name: "a", email: "a@example.com", passwordHash: "x", isAdmin: false, at: "t") }
            #expect(throws: UserStoreRefusal.emailTaken) {
                try store.write { try $0.users.insert(name: "b", email: "A@Example.com", passwordHash: "x", isAdmin: false, at: "t") }
            }
        }
    }

    /// SQLite's result codes (https://sqlite.org/rescode.html) in App's words.
    @Test(arguments: [(Int32(5), StoreError.busy), (6, .busy), (2067, .uniqueViolation), (1555, .uniqueViolation),
                      (275, .constraintViolation), (787, .constraintViolation), (10, .failed), (13, .failed)])
    func sqliteCodesMapToStoreErrors(code: Int32, expected: StoreError) {
        #expect(SQLiteError(code: code, message: "m").meaning == expected)
        #expect((SQLiteError(code: code, message: "m") as any Error).storeError == expected, "through any Error")
    }

    /// Runs `body`, turning an engine's error into the `StoreError` it says it is.
    private static func rethrowingStoreError(_ body: () throws -> Void) throws {
        do { try body() } catch { throw error.storeError ?? error }
    }
}
