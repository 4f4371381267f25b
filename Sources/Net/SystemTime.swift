import Dispatch
import Glibc

/// The system's clocks (`CLOCK_MONOTONIC` and `CLOCK_REALTIME`, through `MonotonicClock`) and Dispatch's timers.
public struct SystemTime: TimeSource {
    public init() {}

    @inline(__always)
    public func monotonicMilliseconds() -> UInt64 { MonotonicClock.milliseconds() }

    public func wallMilliseconds() -> Int64 {
        let now = MonotonicClock.wallClock()
        return Int64(now.seconds) * 1000 + Int64(now.nanoseconds / 1_000_000)
    }

    /// time(2): a vDSO read, the cheapest of the three.
    @inline(__always)
    public func wallSeconds() -> Int64 { Int64(time(nil)) }

    public func after(milliseconds: Int64, _ work: @escaping @Sendable () -> Void) {
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(clamping: max(0, milliseconds))), execute: work)
    }
}
