import Testing
@testable import App

/// Login throttling (DESIGN §6): per account and per address, counted when an attempt starts.
@Suite struct LoginThrottleTests {
    @Test func anAccountIsRefusedPastItsLimitUntilTheWindowMoves() {
        let throttle = LoginThrottle(accountLimit: 3, addressLimit: 100, window: 60)
        for second in 0..<3 { #expect(throttle.admit(account: "a", address: "1.1.1.1", now: 1000 + Int64(second)) == nil) }
        #expect(throttle.admit(account: "a", address: "2.2.2.2", now: 1010) == 50, "the oldest attempt leaves the window at 1060")
        #expect(throttle.admit(account: "b", address: "1.1.1.1", now: 1010) == nil, "other accounts are not affected")
        #expect(throttle.admit(account: "a", address: "1.1.1.1", now: 1060) == nil, "the first attempt has left the window")
    }

    @Test func anAddressIsRefusedPastItsLimitWhateverTheAccount() {
        let throttle = LoginThrottle(accountLimit: 100, addressLimit: 2, window: 60)
        #expect(throttle.admit(account: "a", address: "9.9.9.9", now: 0) == nil)
        #expect(throttle.admit(account: "b", address: "9.9.9.9", now: 1) == nil)
        #expect(throttle.admit(account: "c", address: "9.9.9.9", now: 2) == 58)
        #expect(throttle.admit(account: "c", address: "8.8.8.8", now: 2) == nil)
    }

    /// Attempts count before their hash is checked, so concurrent ones cannot all slip through; a success
    /// gives its slot back.
    @Test func aSuccessClearsTheAccountAndReturnsTheAddressSlot() {
        let throttle = LoginThrottle(accountLimit: 2, addressLimit: 2, window: 60)
        #expect(throttle.admit(account: "a", address: "x", now: 0) == nil)
        #expect(throttle.admit(account: "a", address: "x", now: 0) == nil)
        #expect(throttle.admit(account: "a", address: "x", now: 0) != nil, "two in flight use up both limits")
        throttle.succeeded(account: "a", address: "x")
        #expect(throttle.admit(account: "a", address: "x", now: 1) == nil)
    }

    @Test func retryAfterIsAtLeastOneSecond() {
        let throttle = LoginThrottle(accountLimit: 1, addressLimit: 10, window: 1)
        #expect(throttle.admit(account: "a", address: "x", now: 5) == nil)
        #expect(throttle.admit(account: "a", address: "x", now: 5) == 1)
    }
}
