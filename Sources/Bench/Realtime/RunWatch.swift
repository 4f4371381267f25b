import Net

/// The starting thread's view of a realtime run: it waits for a condition on the published progress, and samples
/// the progress line about once a second while it does.
struct RunWatch {
    let control: RealtimeControl
    private let subscribers: Int
    private let start = MonotonicClock.nanoseconds()
    private let onProgress: ((RealtimeProgress) -> Void)?
    private var lastSample: (time: UInt64, delivered: Int)

    init(control: RealtimeControl, subscribers: Int, onProgress: ((RealtimeProgress) -> Void)?) {
        self.control = control
        self.subscribers = subscribers
        self.onProgress = onProgress
        lastSample = (start, 0)
    }

    /// Seconds since the run started.
    var elapsedSeconds: Double { Double(MonotonicClock.nanoseconds() - start) / 1e9 }

    /// Sleeps until `deadline` (`MonotonicClock.nanoseconds()`) or until `done` holds for the progress; returns `false`
    /// when Ctrl-C ended the wait.
    mutating func wait(
        until deadline: UInt64, _ interrupt: inout InterruptWatch,
        _ done: ((subscribers: SubscriberProgress, writes: WriteProgress)) -> Bool
    ) -> Bool {
        while true {
            let now = MonotonicClock.nanoseconds()
            if now >= deadline { return true }
            let progress = control.progress
            if done(progress) { return true }
            if now - lastSample.time >= 1_000_000_000 { sample(progress, now: now) }
            // Wake every 10 ms to notice the condition; the deadline itself is met to the tick.
            if interrupt.sleep(nanoseconds: min(deadline - now, 10_000_000)) { return false }
        }
    }

    private mutating func sample(_ progress: (subscribers: SubscriberProgress, writes: WriteProgress), now: UInt64) {
        let delivered = progress.subscribers.delivered
        let rate = Double(delivered - lastSample.delivered) * 1e9 / Double(now - lastSample.time)
        lastSample = (now, delivered)
        onProgress?(RealtimeProgress(elapsedSeconds: Double(now - start) / 1e9, opened: progress.subscribers.opened, subscribers: subscribers,
                                     acknowledged: progress.writes.acknowledged, delivered: delivered, eventsPerSecond: rate))
    }
}
