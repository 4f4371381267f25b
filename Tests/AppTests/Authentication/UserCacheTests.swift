import AppTestKit
import Net
import Synchronization
import Testing
import TestKit
@testable import App

/// The users that tokens name, cached per loop: a change through this server's writer is seen at once by every
/// loop; a change by another process within the second.
@Suite struct UserCacheTests {
    /// Unix seconds that stand still until the test moves them.
    private final class ManualClock: Sendable {
        let seconds = Atomic<Int64>(1_000)
    }

    /// A cache on both loops of a fresh application, with a clock the test moves; and a user, `id`.
    private final class Fixture: Sendable {
        let application: Application
        let cache: UserCache
        let clock = ManualClock()
        let id: Int64

        init() throws {
            application = try Application(config: LiveServer.testDefaults)
            let clock = self.clock
            cache = UserCache(store: application.services.store, loops: 2) { clock.seconds.load(ordering: .relaxed) }
            id = try application.services.store.write { transaction in
                try transaction.users.insert(name: "before", email: "cached@example.com", passwordHash: "x", isAdmin: false, at: SystemTime().timestamp()).id
            }
        }

        deinit { application.close() }

        func names() throws -> [String?] {
            try (0..<2).map { loop in try cache.user(id: id, loop: loop)?.name }
        }
    }

    @Test func aChangeCommittedByTheWriterIsSeenAtOnceByEveryLoop() throws {
        let fixture = try Fixture()
        #expect(try fixture.names() == ["before", "before"])
        let renamed = UserRecord(id: fixture.id, name: "after", email: "cached@example.com", isAdmin: true, createdAt: "")
        _ = try fixture.application.services.store.write { transaction in
            try transaction.users.update(renamed, passwordHash: nil, at: SystemTime().timestamp())
        }
        #expect(try fixture.names() == ["after", "after"], "the same second: the writer's count, not the clock, told")
        #expect(try fixture.cache.user(id: fixture.id, loop: 1)?.isAdmin == true)
        let id = fixture.id
        _ = try fixture.application.services.store.write { transaction in try transaction.users.delete(id: id) }
        #expect(try fixture.names() == [nil, nil])
    }

    @Test func aChangeByAnotherProcessIsSeenWithinTheSecond() throws {
        let fixture = try Fixture()
        #expect(try fixture.names() == ["before", "before"])
        let renamed = UserRecord(id: fixture.id, name: "elsewhere", email: "cached@example.com", isAdmin: false, createdAt: "")
        _ = try withSeparateStore(fixture.application.config) { elsewhere in       // as a second server would
            try elsewhere.write { transaction in try transaction.users.update(renamed, passwordHash: nil, at: SystemTime().timestamp()) }
        }
        #expect(try fixture.names() == ["before", "before"], "within the second it was read")
        fixture.clock.seconds.add(1, ordering: .relaxed)
        #expect(try fixture.names() == ["elsewhere", "elsewhere"])
    }
}
