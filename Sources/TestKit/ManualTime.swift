public import Net
import Synchronization

/// A `TimeSource` that stands still until a test moves it: deadlines and timers then fire because the test said
/// so, never because the machine was slow. Both clocks move together.
public final class ManualTime: TimeSource {
    private struct Timer {
        let due: Int64
        let work: @Sendable () -> Void
    }

    private struct State {
        var elapsed: Int64 = 0
        var timers: [Timer] = []
    }

    private let state = Mutex(State())
    private let wallStart: Int64

    /// A source whose wall clock starts at `wallStart` Unix milliseconds (by default, the real time now).
    public init(wallStart: Int64 = SystemTime().wallMilliseconds()) {
        self.wallStart = wallStart
    }

    public func monotonicMilliseconds() -> UInt64 { UInt64(state.withLock { $0.elapsed }) }

    public func wallMilliseconds() -> Int64 { wallStart + state.withLock { $0.elapsed } }

    public func wallSeconds() -> Int64 { wallMilliseconds() / 1000 }

    public func after(milliseconds: Int64, _ work: @escaping @Sendable () -> Void) {
        state.withLock { $0.timers.append(Timer(due: $0.elapsed + max(0, milliseconds), work: work)) }
    }

    /// When the earliest timer set and not yet fired is due (Unix milliseconds of this source), or nil.
    public var nextTimer: Int64? { state.withLock { $0.timers.map(\.due).min() }.map { wallStart + $0 } }

    /// Moves both clocks on by `milliseconds`, then runs the timers that fell due, on the calling thread.
    public func advance(milliseconds: Int64) {
        let due = state.withLock { state -> [Timer] in
            state.elapsed += milliseconds
            let due = state.timers.filter { $0.due <= state.elapsed }
            state.timers.removeAll { $0.due <= state.elapsed }
            return due
        }
        for timer in due.sorted(by: { $0.due < $1.due }) { timer.work() }
    }
}
