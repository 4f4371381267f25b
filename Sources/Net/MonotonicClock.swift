import Glibc

/// Reads of the monotonic and wall clocks, in the units the loop and the logs use.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point; never goes backwards.
    @inline(__always)
    public static func nanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// Milliseconds since the same fixed point as `nanoseconds()`.
    @inline(__always)
    public static func milliseconds() -> UInt64 { nanoseconds() / 1_000_000 }

    /// Wall-clock time as seconds and nanoseconds since the Unix epoch.
    public static func wallClock() -> (seconds: Int, nanoseconds: Int) {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return (spec.tv_sec, spec.tv_nsec)
    }
}
