/// Where the server reads the time and sets timers that follow it: `SystemTime` when serving, a manual source in
/// tests, so that no test waits for real time to pass or asserts how long something took (DESIGN §4). Durations
/// that are only measured (request latency in metrics and logs) read `MonotonicClock` directly: they must be real.
public protocol TimeSource: Sendable {
    /// Milliseconds since a fixed point, never going backwards: deadlines and timeouts.
    func monotonicMilliseconds() -> UInt64
    /// Unix milliseconds: timestamps, token lifetimes, when jobs fall due.
    func wallMilliseconds() -> Int64
    /// Unix seconds (`wallMilliseconds() / 1000`): token times, read several times per authenticated request.
    func wallSeconds() -> Int64
    /// Runs `work` on some thread once `milliseconds` of this source's time have passed.
    func after(milliseconds: Int64, _ work: @escaping @Sendable () -> Void)
}
