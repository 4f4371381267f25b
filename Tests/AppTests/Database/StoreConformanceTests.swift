import AppTestKit
import Dispatch
import Glibc
import HTTP
import Net
import Synchronization
import Testing
import TestKit
@testable import App

/// Issue 21, must show 1: every store behaves the same on SQLite and on PostgreSQL (a private cluster each test
/// makes). Each test runs on both engines through `DataStore`, as the server and the admin commands use it.
@Suite(.serialized) struct StoreConformanceTests {
    enum Engine: String, CaseIterable, CustomStringConvertible {
        case sqlite, postgres
        var description: String { rawValue }
    }

    /// Runs `body` with a migrated store of `engine`, closed (and its cluster stopped) afterwards.
    private static func withStore(_ engine: Engine, loops: Int = 1, _ body: (any DataStore) throws -> Void) throws {
        var config = LiveServer.testDefaults
        var server: PostgresServer?
        if engine == .postgres {
            let started = try PostgresServer()
            server = started
            config.database.url = started.tcpConnectionString
        }
        defer { withExtendedLifetime(server) {} }
        try withSeparateStore(config, loops: loops, body)
    }

    private static let now = "2026-12-04T10:00:00.000Z"

    @Test(.timeLimit(.minutes(1)), arguments: Engine.allCases)
    func users(_ engine: Engine) throws {
        try Self.withStore(engine) { store in
            let alice = try store.write { try $0.users.insert(name: "Alice", email: "Alice@Example.com", passwordHash: "h1", isAdmin: false, at: Self.now) }
            #expect(alice.id == 1 && alice.version == 1)
            #expect(throws: UserStoreRefusal.emailTaken) {
                try store.write { try $0.users.insert(name: "A", email: "alice@example.COM", passwordHash: "h", isAdmin: false, at: Self.now) }
            }
            let bob = try store.write { try $0.users.insert(name: "Bob", email: "bob@example.com", passwordHash: "h2", isAdmin: true, at: Self.now) }
            #expect(bob.id == 3 || bob.id == 2, "ids only grow (PostgreSQL's identity spends one on the refused insert)")
            let found = try store.read(on: 0) { try $0.users.credentials(email: "ALICE@example.com") }
            #expect(found?.user == alice && found?.passwordHash == "h1")
            #expect(try store.read(on: 0) { try $0.users.user(id: bob.id) }?.isAdmin == true)
            var changed = alice
            changed.name = "Alicia"
            let renamed = changed
            #expect(try store.write { try $0.users.update(renamed, passwordHash: nil, at: Self.now) })
            let reread = try store.read(on: 0) { try $0.users.user(id: alice.id) }
            #expect(reread?.name == "Alicia" && reread?.version == 2, "an update counts the version up")
            #expect(try store.read(on: 0) { try $0.users.page(after: 0, limit: 10) }.map(\.email) == ["Alice@Example.com", "bob@example.com"])
            #expect(try store.write { try $0.users.delete(id: bob.id) })
            #expect(try !store.write { try $0.users.delete(id: bob.id) })
            #expect(store.userChanges.value >= 3, "the commits that changed users are counted")
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: Engine.allCases)
    func aWriteThatThrowsLeavesNothingAndAnIsolatedFailureOnlyItsOwn(_ engine: Engine) throws {
        struct Refused: Error {}
        try Self.withStore(engine) { store in
            #expect(throws: Refused.self) {
                try store.write { transaction in
                    _ = try transaction.users.insert(name: "Gone", email: "gone@example.com", passwordHash: "h", isAdmin: false, at: Self.now)
                    throw Refused()
                }
            }
            let refusal = try store.write { transaction -> UserStoreRefusal? in
                _ = try transaction.users.insert(name: "Kept", email: "kept@example.com", passwordHash: "h", isAdmin: false, at: Self.now)
                do {
                    try transaction.isolated {
                        _ = try transaction.users.insert(name: "Lost", email: "lost@example.com", passwordHash: "h", isAdmin: false, at: Self.now)
                        _ = try transaction.users.insert(name: "Twice", email: "KEPT@example.com", passwordHash: "h", isAdmin: false, at: Self.now)
                    }
                    return nil
                } catch let refusal as UserStoreRefusal {
                    return refusal
                }
            }
            #expect(refusal == .emailTaken)
            let emails = try store.read(on: 0) { try $0.users.page(after: 0, limit: 10) }.map(\.email)
            #expect(emails == ["kept@example.com"], "the failed write left nothing; the savepoint took back only its own rows")
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: Engine.allCases)
    func tokensAndRevocations(_ engine: Engine) throws {
        try Self.withStore(engine) { store in
            let user = try store.write { try $0.users.insert(name: "T", email: "t@example.com", passwordHash: "h", isAdmin: false, at: Self.now) }
            let digest: [UInt8] = [0, 1, 0x7f, 0x80, 0xff] + Array(repeating: 0x5c, count: 27)
            let refresh = TokenRecord(id: "r1", userID: user.id, kind: .refresh, family: "f1", secretDigest: digest, scope: "items:read",
                                      issuedAt: 100, expiresAt: 10_000)
            let access = TokenRecord(id: "a1", userID: user.id, kind: .access, family: "f1", secretDigest: nil, scope: "", issuedAt: 101, expiresAt: 5_000)
            try store.write { transaction in
                try transaction.tokens.insert(refresh)
                try transaction.tokens.insert(access)
            }
            #expect(try store.read(on: 0) { try $0.tokens.refreshToken(digest: digest) } == refresh, "bytes come back as written")
            #expect(try store.read(on: 0) { try $0.tokens.liveTokens(of: user.id, at: 200) }.map(\.id) == ["a1", "r1"])
            #expect(try store.read(on: 0) { try $0.tokens.liveTokens(of: nil, at: 6_000) }.map(\.id) == ["r1"])
            #expect(try store.write { try $0.tokens.markUsed("r1", at: 300) })
            #expect(try !store.write { try $0.tokens.markUsed("r1", at: 301) }, "a refresh token is exchanged once")
            let revoked = try store.write { try $0.tokens.revokeToken("a1", at: 400) }
            #expect(revoked == [Revocation(tokenID: "a1", expiresAt: 5_000)])
            let family = try store.write { try $0.tokens.revokeFamily("f1", at: 500) }
            #expect(family == [Revocation(tokenID: "r1", expiresAt: 10_000)], "the revoked one is not revoked twice")
            let all = try store.read(on: 0) { try $0.tokens.revocations(after: 0, at: 600) }
            #expect(all.entries.map(\.tokenID) == ["a1", "r1"] && all.last == 2)
            let later = try store.read(on: 0) { try $0.tokens.revocations(after: all.last, at: 600) }
            #expect(later.entries.isEmpty && later.last == 2)
            #expect(try store.read(on: 0) { try $0.tokens.revocations(after: 0, at: 6_000) }.entries.map(\.tokenID) == ["r1"], "expired ones are left out")
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: Engine.allCases)
    func jobs(_ engine: Engine) throws {
        try Self.withStore(engine) { store in
            let first = try store.write { try $0.jobs.enqueue(kind: "audit", payload: "{}", maxAttempts: 3, at: 1_000) }
            let second = try store.write { try $0.jobs.enqueue(kind: "audit", payload: #"{"n":2}"#, maxAttempts: 3, at: 2_000) }
            #expect(try store.read(on: 0) { try $0.jobs.nextDue() } == 1_000)
            let due = try store.write { transaction in
                let due = try transaction.jobs.due(at: 1_500, limit: 10)
                for job in due { try transaction.jobs.markRunning(job.id, attempts: 1, at: 1_500) }
                return due
            }
            #expect(due.map(\.id) == [first])
            #expect(try store.read(on: 0) { try $0.jobs.backlog() } == JobBacklog(queued: 1, running: 1, oldestQueued: 2_000))
            try store.write { try $0.jobs.retry(first, attempts: 1, at: 3_000, error: "boom", now: 1_600) }
            try store.write { try $0.jobs.markDead(second, attempts: 3, error: "gone", at: 2_100) }
            #expect(try store.read(on: 0) { try $0.jobs.list(state: .dead, limit: 10) }.map(\.lastError) == ["gone"])
            #expect(try store.write { try $0.jobs.requeue(second, at: 2_200) })
            _ = try store.write { try $0.jobs.markRunning(second, attempts: 1, at: 2_300) }
            #expect(try store.write { try $0.jobs.requeueAbandoned(at: 2_400) } == 0, "its lease runs")
            let leaseEnd = 2_300 + PostgresJobQueue.leaseMilliseconds
            #expect(try store.write { try $0.jobs.requeueInterrupted(at: 2_400) } == (engine == .sqlite ? 1 : 0),
                    "SQLite's one process requeues every job left running at its start; PostgreSQL only those whose lease ran out")
            if engine == .postgres {
                #expect(try store.write { try $0.jobs.requeueAbandoned(at: leaseEnd + 1) } == 1, "an instance that died with it running")
            }
            try store.write { try $0.jobs.finish(first, attempts: 2, at: 3_000, keep: true) }
            try store.write { try $0.jobs.finish(second, attempts: 2, at: 3_000, keep: false) }
            #expect(try store.read(on: 0) { try $0.jobs.list(state: nil, limit: 10) }.map(\.state) == [.succeeded])
            #expect(try store.write { try $0.jobs.pruneSucceeded(before: 4_000, limit: 10) } == 1)
            #expect(try store.read(on: 0) { try $0.jobs.backlog() } == JobBacklog())
            #expect(try store.write { try $0.jobs.enqueue(kind: "audit", payload: "{}", maxAttempts: 3, at: 5_000) } > second, "an id never comes back")
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: Engine.allCases)
    func auditIdempotencyAndTheChangeLog(_ engine: Engine) throws {
        try Self.withStore(engine) { store in
            let entry = AuditJob.Payload(actor: "a@example.com", user: "bob", action: "action", requestID: "r1", createdAt: Self.now)
            try store.write { transaction in
                try transaction.audit.append(entry, job: 7)
                try transaction.audit.append(entry, job: 7)
            }
            #expect(try store.read(on: 0) { try $0.audit.page(before: nil, limit: 10) }.map(\.user) == ["bob"], "a job run again writes once")
            let key = IdempotencyKey(caller: "user:1", key: "k1", fingerprint: [0xde, 0xad, 0, 0xbe, 0xef])
            let response = StoredResponse(status: 201, reasonPhrase: "Created", contentType: "application/json",
                                          headers: [HeaderPair("location", "/things/1")], body: Array(#"{"id":1}"#.utf8) + [0, 0xff])
            try store.write { try $0.idempotency.keep(response, for: key, at: 1_000, purgingBefore: 0) }
            let kept = try store.read(on: 0) { try $0.idempotency.answer(for: key, since: 500) }
            #expect(kept?.fingerprint == key.fingerprint && kept?.response == response)
            #expect(try store.read(on: 0) { try $0.idempotency.answer(for: key, since: 1_001) } == nil, "older than the window")
            let bounds = try store.read(on: 0) { try $0.changes.bounds() }
            #expect(bounds.first == 1 && bounds.last == 0, "an empty log")
            #expect(try store.read(on: 0) { try $0.changes.changes(after: 0, of: nil, limit: 10) }.isEmpty)
        }
    }

    /// Attached to event loops, reads and writes run from the loop without waiting (PostgreSQL: each answer runs the
    /// body again; SQLite: at once), and their completions come on the loop.
    @Test(.timeLimit(.minutes(1)), arguments: Engine.allCases)
    func readsAndWritesFromALoop(_ engine: Engine) throws {
        try Self.withStore(engine, loops: 2) { store in
            let group = try EventLoopGroup(count: 2)
            group.start()
            defer { group.shutdown() }
            store.attach(to: group.loops)
            #expect(store.answersReadsAtOnce == (engine == .sqlite))
            let done = DispatchSemaphore(value: 0)
            let outcomes = Mutex<[String]>([])
            for index in 0..<40 {
                let loop = group.loops[index % 2]
                loop.execute {
                    store.submit({ transaction in
                        try transaction.users.insert(name: "U\(index)", email: "u\(index)@example.com", passwordHash: "h", isAdmin: false, at: Self.now)
                    }) { written in
                        loop.execute {   // SQLite's writer answers on its own thread; a read belongs on the loop
                            store.read(on: loop.index, { transaction in try transaction.users.credentials(email: "U\(index)@example.com")?.user.name }) { read in
                                let name = (try? read.get()) ?? nil
                                outcomes.withLock { $0.append("\(loop.inEventLoop) \((try? written.get())?.name ?? "-") \(name ?? "-")") }
                                done.signal()
                            }
                        }
                    }
                }
            }
            for _ in 0..<40 { done.wait() }
            let all = outcomes.withLock { $0 }
            #expect(Set(all) == Set((0..<40).map { "true U\($0) U\($0)" }), "\(all)")
            #expect(store.commits >= 1)
        }
    }

    /// PostgreSQL runs a body again as each answer comes: one that reads something besides its answers and so asks for
    /// other statements the second time (the change feed's catch-up once did, crashing on an answer of another query)
    /// starts over from there when it reads, and fails when it writes, rolling back what it sent.
    @Test(.timeLimit(.minutes(1)))
    func aBodyThatChangesItsMindIsReadAgainOrRefused() throws {
        try Self.withStore(.postgres, loops: 1) { store in
            let group = try EventLoopGroup(count: 1)
            group.start()
            defer { group.shutdown() }
            store.attach(to: group.loops)
            let runs = Mutex(0)
            let done = DispatchSemaphore(value: 0)
            let outcomes = Mutex<[String]>([])
            group.loops[0].execute {
                store.read(on: 0, { transaction -> String in
                    let run = runs.withLock { runs in
                        runs += 1
                        return runs
                    }
                    if run == 1 { return "\(try transaction.changes.bounds())" }
                    return try transaction.users.page(after: 0, limit: 10).map(\.email).joined()
                }) { read in
                    outcomes.withLock { $0.append((try? read.get()).map { "read: [\($0)]" } ?? "read failed") }
                    store.submit({ transaction -> Int64 in
                        let run = runs.withLock { runs in
                            runs += 1
                            return runs
                        }
                        let user = try transaction.users.insert(name: "D", email: "d\(run)@example.com", passwordHash: "h", isAdmin: false, at: Self.now)
                        _ = run % 2 == 0 ? try transaction.changes.bounds().last : try transaction.jobs.nextDue() ?? 0
                        return user.id
                    }) { written in
                        outcomes.withLock { $0.append((try? written.get()).map { "wrote \($0)" } ?? "\(written)") }
                        done.signal()
                    }
                }
            }
            done.wait()
            let all = outcomes.withLock { $0 }
            #expect(all.first == "read: []", "read again from its first statement, which the second run asked for: \(all)")
            #expect(all.last?.contains("must do the same given the same answers") == true, "\(all)")
            #expect(try store.read(on: 0) { try $0.users.page(after: 0, limit: 10) }.isEmpty, "the write rolled back")
        }
    }

    /// A channel message committed before the store's doorbell listens (between its start and its loops) is delivered
    /// once it listens: the doorbell reads what rang before its first LISTEN too, not only after a reconnection.
    @Test(.timeLimit(.minutes(1)))
    func aMessageSentBeforeTheDoorbellListensIsDelivered() throws {
        try Self.withStore(.postgres, loops: 1) { store in
            let relay = try #require(store.channelRelay)
            let received = Mutex<[String]>([])
            relay.onMessages { messages in received.withLock { $0 += messages.map { "\($0.channel) \($0.sequence)" } } }
            let published = Mutex<Int64?>(nil)
            relay.publish("early", to: "chat:lobby", from: nil, at: Self.now, on: 0) { outcome in published.withLock { $0 = try? outcome.get() } }
            #expect(published.withLock { $0 } == 1, "published at once, before the loops")
            let group = try EventLoopGroup(count: 1)
            group.start()
            defer { group.shutdown() }
            store.attach(to: group.loops)
            let deadline = TestClient.now() + 5
            while received.withLock({ $0 }).isEmpty && TestClient.now() < deadline { usleep(10_000) }
            #expect(received.withLock { $0 } == ["chat:lobby 1"])
        }
    }
}
