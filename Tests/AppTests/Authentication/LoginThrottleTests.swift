import HTTP
import Testing
import TestKit
@testable import App

/// Login throttling (DESIGN §12) as rules of the rate limiter, on a manual clock: per (account, address) and per
/// address, counted when an attempt starts; a whole account is only slowed, never refused (issue 14, item 4).
@Suite struct LoginThrottleTests {
    private static func throttle(pair: Int = 100, address: Int = 100, accountSlowdown: Int = 100, window: Int64 = 60)
        -> (LoginThrottle, ManualTime) {
        let time = ManualTime()
        let limits = LoginThrottle.Limits(pair: pair, address: address, accountSlowdown: accountSlowdown, window: window)
        return (LoginThrottle(limits, limiter: RateLimiter(capacity: 4096, time: time)), time)
    }

    private static let admitted = LoginThrottle.Decision.admitted(delayMilliseconds: 0)

    /// 3 attempts per 60 s: a burst of 3, then one more every 20 s.
    @Test func aPairIsRefusedPastItsLimitUntilItRefills() {
        let (throttle, time) = Self.throttle(pair: 3)
        for _ in 0..<3 { #expect(throttle.admit(account: "a", address: "1.1.1.1") == Self.admitted) }
        time.advance(milliseconds: 10_000)
        #expect(throttle.admit(account: "a", address: "1.1.1.1") == .refused(retryAfter: 10), "the next attempt comes 20 s after the burst")
        #expect(throttle.admit(account: "a", address: "2.2.2.2") == Self.admitted, "the account from elsewhere is not refused")
        #expect(throttle.admit(account: "b", address: "1.1.1.1") == Self.admitted, "other accounts from the address are not refused")
        time.advance(milliseconds: 10_000)
        #expect(throttle.admit(account: "a", address: "1.1.1.1") == Self.admitted)
        #expect(throttle.admit(account: "a", address: "1.1.1.1") == .refused(retryAfter: 20), "one attempt per 20 s from then on")
    }

    @Test func anAddressIsRefusedPastItsLimitWhateverTheAccount() {
        let (throttle, _) = Self.throttle(address: 2)
        #expect(throttle.admit(account: "a", address: "9.9.9.9") == Self.admitted)
        #expect(throttle.admit(account: "b", address: "9.9.9.9") == Self.admitted)
        #expect(throttle.admit(account: "c", address: "9.9.9.9") == .refused(retryAfter: 30))
        #expect(throttle.admit(account: "c", address: "8.8.8.8") == Self.admitted)
    }

    /// Failures from many addresses never lock the account: past the threshold each attempt waits a step longer,
    /// up to the longest delay, and is still admitted.
    @Test func anAccountUnderAttackIsSlowedNeverRefused() {
        let (throttle, time) = Self.throttle(pair: 1, address: 1, accountSlowdown: 3)
        let decisions = (0..<200).map { throttle.admit(account: "victim", address: "10.0.\($0 / 256).\($0 % 256)") }
        let step = LoginThrottle.delayStepMilliseconds
        #expect(Array(decisions.prefix(5)) == [Self.admitted, Self.admitted, Self.admitted,
                                               .admitted(delayMilliseconds: step), .admitted(delayMilliseconds: 2 * step)])
        #expect(decisions.last == .admitted(delayMilliseconds: LoginThrottle.longestDelayMilliseconds))
        time.advance(milliseconds: 200 * 20_000)
        #expect(throttle.admit(account: "victim", address: "192.0.2.1") == Self.admitted, "refilled")
    }

    /// Attempts count before their hash is checked, so concurrent ones cannot all slip through; a success
    /// clears its pair and gives its address attempt back.
    @Test func aSuccessClearsThePairAndReturnsTheAddressAttempt() {
        let (throttle, _) = Self.throttle(pair: 2, address: 2)
        #expect(throttle.admit(account: "a", address: "x") == Self.admitted)
        #expect(throttle.admit(account: "a", address: "x") == Self.admitted)
        #expect(throttle.admit(account: "a", address: "x") != Self.admitted, "two in flight use up both limits")
        throttle.succeeded(account: "a", address: "x")
        #expect(throttle.admit(account: "a", address: "x") == Self.admitted)
    }

    @Test func retryAfterIsAtLeastOneSecond() {
        let (throttle, _) = Self.throttle(pair: 1, window: 1)
        #expect(throttle.admit(account: "a", address: "x") == Self.admitted)
        #expect(throttle.admit(account: "a", address: "x") == .refused(retryAfter: 1))
    }
}
