import Testing
@testable import App

/// Login throttling (DESIGN §12): per (account, address) and per address, counted when an attempt starts; a whole
/// account is only slowed, never refused (issue 14, item 4).
@Suite struct LoginThrottleTests {
    private static func throttle(pair: Int = 100, address: Int = 100, accountSlowdown: Int = 100, window: Int64 = 60) -> LoginThrottle {
        LoginThrottle(LoginThrottle.Limits(pair: pair, address: address, accountSlowdown: accountSlowdown, window: window))
    }

    private static let admitted = LoginThrottle.Decision.admitted(delayMilliseconds: 0)

    @Test func aPairIsRefusedPastItsLimitUntilTheWindowMoves() {
        let throttle = Self.throttle(pair: 3)
        for second in 0..<3 { #expect(throttle.admit(account: "a", address: "1.1.1.1", now: 1000 + Int64(second)) == Self.admitted) }
        #expect(throttle.admit(account: "a", address: "1.1.1.1", now: 1010) == .refused(retryAfter: 50), "the oldest attempt leaves the window at 1060")
        #expect(throttle.admit(account: "a", address: "2.2.2.2", now: 1010) == Self.admitted, "the account from elsewhere is not refused")
        #expect(throttle.admit(account: "b", address: "1.1.1.1", now: 1010) == Self.admitted, "other accounts from the address are not refused")
        #expect(throttle.admit(account: "a", address: "1.1.1.1", now: 1060) == Self.admitted, "the first attempt has left the window")
    }

    @Test func anAddressIsRefusedPastItsLimitWhateverTheAccount() {
        let throttle = Self.throttle(address: 2)
        #expect(throttle.admit(account: "a", address: "9.9.9.9", now: 0) == Self.admitted)
        #expect(throttle.admit(account: "b", address: "9.9.9.9", now: 1) == Self.admitted)
        #expect(throttle.admit(account: "c", address: "9.9.9.9", now: 2) == .refused(retryAfter: 58))
        #expect(throttle.admit(account: "c", address: "8.8.8.8", now: 2) == Self.admitted)
    }

    /// Failures from many addresses never lock the account: past the threshold each attempt waits a step longer,
    /// up to the longest delay, and is still admitted.
    @Test func anAccountUnderAttackIsSlowedNeverRefused() {
        let throttle = Self.throttle(pair: 1, address: 1, accountSlowdown: 3)
        let decisions = (0..<200).map { throttle.admit(account: "victim", address: "10.0.\($0 / 256).\($0 % 256)", now: 5) }
        let step = LoginThrottle.delayStepMilliseconds
        #expect(Array(decisions.prefix(5)) == [Self.admitted, Self.admitted, Self.admitted,
                                               .admitted(delayMilliseconds: step), .admitted(delayMilliseconds: 2 * step)])
        #expect(decisions.last == .admitted(delayMilliseconds: LoginThrottle.longestDelayMilliseconds))
        #expect(throttle.admit(account: "victim", address: "192.0.2.1", now: 66) == Self.admitted, "the window moved on")
    }

    /// Attempts count before their hash is checked, so concurrent ones cannot all slip through; a success
    /// clears its pair and gives its address slot back.
    @Test func aSuccessClearsThePairAndReturnsTheAddressSlot() {
        let throttle = Self.throttle(pair: 2, address: 2)
        #expect(throttle.admit(account: "a", address: "x", now: 0) == Self.admitted)
        #expect(throttle.admit(account: "a", address: "x", now: 0) == Self.admitted)
        #expect(throttle.admit(account: "a", address: "x", now: 0) != Self.admitted, "two in flight use up both limits")
        throttle.succeeded(account: "a", address: "x")
        #expect(throttle.admit(account: "a", address: "x", now: 1) == Self.admitted)
    }

    @Test func retryAfterIsAtLeastOneSecond() {
        let throttle = Self.throttle(pair: 1, window: 1)
        #expect(throttle.admit(account: "a", address: "x", now: 5) == Self.admitted)
        #expect(throttle.admit(account: "a", address: "x", now: 5) == .refused(retryAfter: 1))
    }
}
