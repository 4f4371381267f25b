import Testing
@testable import App

/// The in-memory revocation list: per-loop copies refreshed by a generation number; expired ids forgotten.
@Suite struct RevocationListTests {
    @Test func anAddedRevocationIsSeenByEveryLoop() {
        let list = RevocationList(loops: 2)
        #expect(!list.isRevoked("t1", loop: 0) && !list.isRevoked("t1", loop: 1))
        list.add([Revocation(tokenID: "t1", expiresAt: 100)])
        #expect(list.isRevoked("t1", loop: 0) && list.isRevoked("t1", loop: 1))
        #expect(!list.isRevoked("t2", loop: 0))
    }

    @Test func mergingForgetsExpiredIdsAndKeepsTheSequence() {
        let list = RevocationList(loops: 1)
        list.merge([Revocation(tokenID: "old", expiresAt: 10), Revocation(tokenID: "new", expiresAt: 1000)], upTo: 7, now: 5)
        #expect(list.isRevoked("old", loop: 0) && list.isRevoked("new", loop: 0))
        #expect(list.lastSequence == 7)
        list.merge([], upTo: 7, now: 50)
        #expect(!list.isRevoked("old", loop: 0), "its token has expired; nothing to refuse any more")
        #expect(list.isRevoked("new", loop: 0))
    }
}
