import Glibc
import Net

/// Runs `api bench --realtime`: opens the subscribers on one event loop per thread, and once all have subscribed
/// drives the writes from a loop of its own; then waits for the events still on their way (up to the grace period)
/// and merges what the threads counted.
public enum RealtimeBench {
    /// Runs `configuration` to the end; `onProgress`, if given, is called on the calling thread about once a second.
    ///
    /// - Throws: `.usage` for a configuration that cannot work, `.unreachable` when the server does not answer a
    ///   connect or the process may not open enough descriptors.
    public static func run(
        _ configuration: RealtimeConfiguration, onProgress: ((RealtimeProgress) -> Void)? = nil
    ) throws(BenchError) -> RealtimeResult {
        try configuration.validate()
        let address = try Reachability.check(configuration.url, timeoutNanoseconds: configuration.timeoutNanoseconds)
        try raiseOpenFileLimit(for: configuration)
        let threads = configuration.threads
        let group: EventLoopGroup
        do { group = try EventLoopGroup(count: threads + 1) } catch { throw .unreachable("cannot start event loops: \(error)") }
        var interrupt = InterruptWatch()
        defer { interrupt.release() }

        let plan = RealtimePlan(configuration: configuration, address: address, run: makeRunID())
        let control = RealtimeControl(workers: threads)
        let workers = group.loops.prefix(threads).map { loop in
            let numbers = Array(stride(from: loop.index, to: configuration.subscribers, by: threads))
            return LoopBound(SubscriberWorker(loop: loop, plan: plan, control: control, index: loop.index, numbers: numbers), on: loop)
        }
        let writer = LoopBound(WriteScheduler(loop: group.loops[threads], plan: plan, control: control), on: group.loops[threads])
        var watch = RunWatch(control: control, subscribers: configuration.subscribers, onProgress: onProgress)
        group.start(name: "bench") { loop in
            guard loop.index == threads else { return }
            writer.value.connect { for worker in workers { worker.owner.execute { worker.value.start() } } }
        }
        let openSeconds = run(plan: plan, writer: writer, watch: &watch, interrupt: &interrupt)

        for worker in workers { worker.owner.execute { worker.value.finish() } }
        // Writes still out after Ctrl-C are neither acknowledged nor failed.
        writer.owner.execute { writer.value.stop() }
        while control.results == nil { usleep(1000) }
        writer.owner.execute { writer.value.close() }
        group.shutdown()
        // `results` is non-nil: the loop above waited for it.
        let results = control.results!
        return RealtimeResult(configuration: configuration, openSeconds: openSeconds, subscribers: results.subscribers, writes: results.writes)
    }

    /// The phases, each ended early by Ctrl-C: every subscriber opened or failed; the writes for the duration (at rate 0,
    /// the subscribers held for it); the last writes answered; the grace period, or less once every expected event
    /// has come. Returns the seconds the subscribers took to open.
    private static func run(
        plan: RealtimePlan, writer: LoopBound<WriteScheduler>, watch: inout RunWatch, interrupt: inout InterruptWatch
    ) -> Double {
        let configuration = plan.configuration
        let subscribers = configuration.subscribers
        guard watch.wait(until: .max, &interrupt, { $0.subscribers.opened + $0.subscribers.failed >= subscribers }) else {
            return watch.elapsedSeconds
        }
        let openSeconds = watch.elapsedSeconds
        writer.owner.execute { writer.value.start() }
        let writeEnd = MonotonicClock.nanoseconds() + configuration.durationNanoseconds
        guard watch.wait(until: writeEnd, &interrupt, { _ in false }),
              watch.wait(until: .max, &interrupt, { $0.writes.finishedAt != nil }) else { return openSeconds }
        let graceEnd = (watch.control.progress.writes.finishedAt ?? 0) + configuration.graceNanoseconds
        _ = watch.wait(until: graceEnd, &interrupt) { progress in
            let open = progress.subscribers.opened - progress.subscribers.dropped
            return progress.subscribers.delivered >= progress.writes.acknowledged * open
        }
        return openSeconds
    }

    /// One descriptor per subscriber and write connection, and some to spare: more than the usual soft limit of 1024.
    private static func raiseOpenFileLimit(for configuration: RealtimeConfiguration) throws(BenchError) {
        let needed = configuration.subscribers + configuration.writeConnections + 64
        let limit = OpenFileLimit.raise(atLeast: needed)
        guard limit >= needed else {
            throw .unreachable("\(configuration.subscribers) subscribers need \(needed) open files, but the limit is \(limit) (ulimit -n)")
        }
    }

    /// 8 hex digits, different in every run, for `{run}` in the writes' bodies.
    private static func makeRunID() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = UInt32.random(in: .min ... .max, using: &generator)
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
