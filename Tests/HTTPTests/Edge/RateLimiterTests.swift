import Testing
import TestKit
@testable import HTTP

/// GCRA on the shared table, on a manual clock: the burst, the pace after it, and keys and rules kept apart.
@Suite struct RateLimiterTests {
    private static func rule(_ text: String) -> RateLimitRule { try! RateLimitRule(parsing: text) }

    @Test func aBurstThenThePace() {
        let time = ManualTime(), limiter = RateLimiter(capacity: 64, time: time), rule = Self.rule("read: read 10/s 5 address")
        #expect((0..<5).map { _ in limiter.admit(rule, key: "a") } == (0..<5).map { .admitted(remaining: 4 - $0) })
        #expect(limiter.admit(rule, key: "a") == .refused(retryAfterMilliseconds: 100))
        #expect(limiter.admit(rule, key: "b") == .admitted(remaining: 4), "another key has its own allowance")
        #expect(limiter.admit(Self.rule("write: write 10/s 5 address"), key: "a") == .admitted(remaining: 4), "and another rule")
        time.advance(milliseconds: 99)
        #expect(limiter.admit(rule, key: "a") == .refused(retryAfterMilliseconds: 1))
        time.advance(milliseconds: 1)
        #expect(limiter.admit(rule, key: "a") == .admitted(remaining: 0), "one interval later, one more")
        time.advance(milliseconds: 500)
        #expect(limiter.admit(rule, key: "a") == .admitted(remaining: 4), "after burst × interval, the whole burst again")
    }

    /// What the database's count says (the shared limits) moves a key ahead, never back.
    @Test func anAdoptedCountMovesAKeyAheadNeverBack() {
        let time = ManualTime(), limiter = RateLimiter(capacity: 64, time: time), rule = Self.rule("read: read 10/s 5 address")
        limiter.adopt(rule, key: "a", aheadMilliseconds: 400)
        #expect(limiter.admit(rule, key: "a") == .admitted(remaining: 0), "four of five used elsewhere: one left")
        #expect(limiter.admit(rule, key: "a") == .refused(retryAfterMilliseconds: 100))
        limiter.adopt(rule, key: "a", aheadMilliseconds: 100)
        #expect(limiter.admit(rule, key: "a") == .refused(retryAfterMilliseconds: 100), "a count behind this one changes nothing")
        limiter.adopt(rule, key: "b", aheadMilliseconds: 0)
        #expect(limiter.admit(rule, key: "b") == .admitted(remaining: 4), "nothing ahead: the whole burst")
        limiter.adopt(rule, key: "a", isSubject: true, aheadMilliseconds: 500)
        #expect(limiter.admit(rule, key: "a", isSubject: true) == .refused(retryAfterMilliseconds: 100), "a user is its own key")
    }

    @Test func aFullTableAdmitsRatherThanRefuseStrangers() {
        let time = ManualTime(), limiter = RateLimiter(capacity: 4, time: time), rule = Self.rule("r: read 1/h 1 address")
        for key in 0..<4 { #expect(limiter.admit(rule, key: "k\(key)") == .admitted(remaining: 0)) }   // every slot taken for an hour
        #expect(limiter.admit(rule, key: "k0") == .refused(retryAfterMilliseconds: 3_600_000), "a key with a slot is held to it")
        #expect((0..<3).map { _ in limiter.admit(rule, key: "stranger") } == Array(repeating: .admitted(remaining: 0), count: 3),
                "no slot to count it in: admitted, not refused")
    }

    @Test(arguments: [
        ("auth: auth 2/s 20 address", "auth", 2.0, 20, RateLimitRule.Key.address),
        ("signup: POST /users/ 30/m 5 address", "signup", 0.5, 5, .address),
        ("one_user: /users/{user_id} 100/h 10 subject", "one_user", 100.0 / 3600, 10, .subject),
    ])
    func rulesParse(text: String, name: String, rate: Double, burst: Int, key: RateLimitRule.Key) throws {
        let rule = try RateLimitRule(parsing: text)
        #expect(rule.name == name && rule.rate == rate && rule.burst == burst && rule.key == key)
    }

    @Test(arguments: ["auth 2/s 20 address", "x: auth 2/s 20 anyone", "x: auth 2/s 0 address", "x: auth 2/x 20 address",
                      "x: auth 2000/s 20 address", "x: everything 2/s 20 address", "x: GRAB /users/ 2/s 20 address", "a b: read 1/s 1 address"])
    func badRulesAreRefused(text: String) {
        #expect(throws: RateLimitRule.RuleError.self) { try RateLimitRule(parsing: text) }
    }

    @Test func aRefusalCarriesTheDraftFields() {
        let refusal = Self.rule("read: read 50/s 300 subject").refusal(retryAfterMilliseconds: 1_200)
        #expect(refusal.status == .tooManyRequests)
        #expect(refusal.headers == [HeaderPair("retry-after", "2"), HeaderPair("ratelimit-policy", #""read";q=300;w=6"#),
                                    HeaderPair("ratelimit", #""read";r=0;t=2"#)])
    }
}
