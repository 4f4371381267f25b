import Glibc
import Net

/// Runs a bench: checks the target, starts one event loop per thread with its share of the connections,
/// waits for the duration or the request count (or Ctrl-C), and merges what the threads measured.
public enum LoadGenerator {
    /// Runs `configuration` to the end; `onProgress`, if given, is called on the calling thread about once a second.
    ///
    /// - Throws: `.usage` for a configuration that cannot work, `.unreachable` when the target does not answer a connect.
    public static func run(
        _ configuration: BenchConfiguration, onProgress: ((ProgressSample) -> Void)? = nil
    ) throws(BenchError) -> BenchResult {
        try configuration.validate()
        let address = try Reachability.check(configuration.url, timeoutNanoseconds: configuration.timeoutNanoseconds)
        let group: EventLoopGroup
        do { group = try EventLoopGroup(count: configuration.threads) } catch { throw .unreachable("cannot start event loops: \(error)") }
        var interrupt = InterruptWatch()
        defer { interrupt.release() }

        let plan = RunPlan(configuration: configuration, address: address)
        let control = RunControl(workers: configuration.threads)
        let workers = makeWorkers(configuration, plan: plan, control: control, loops: group.loops)
        group.start(name: "bench") { loop in workers[loop.index].value.start() }
        wait(for: configuration, plan: plan, control: control, interrupt: &interrupt, onProgress: onProgress)
        for worker in workers {
            worker.owner.execute { worker.value.finish() }
        }
        while control.results == nil { usleep(1000) }
        group.shutdown()
        // `results` is non-nil: the loop above waited for it.
        return BenchResult(configuration: configuration, start: plan.start, workers: control.results!)
    }

    /// One worker per loop; connection `n` goes to loop `n % threads`, and a request count is split evenly.
    private static func makeWorkers(
        _ configuration: BenchConfiguration, plan: RunPlan, control: RunControl, loops: [EventLoop]
    ) -> [LoopBound<BenchWorker>] {
        let threads = loops.count
        return loops.map { loop in
            let numbers = Array(stride(from: loop.index, to: configuration.connections, by: threads))
            var quota: Int?
            if case .requests(let count) = configuration.length {
                quota = count / threads + (loop.index < count % threads ? 1 : 0)
            }
            let worker = BenchWorker(loop: loop, plan: plan, control: control, index: loop.index,
                                     connectionNumbers: numbers, requestQuota: quota)
            return LoopBound(worker, on: loop)
        }
    }

    /// Sleeps until the duration is over, every worker has used its request count, or SIGINT arrives,
    /// sampling progress once a second.
    private static func wait(
        for configuration: BenchConfiguration, plan: RunPlan, control: RunControl, interrupt: inout InterruptWatch,
        onProgress: ((ProgressSample) -> Void)?
    ) {
        var deadline = UInt64.max
        if case .duration(let nanoseconds) = configuration.length { deadline = plan.start + nanoseconds }
        var lastSample = (time: plan.start, requests: 0)
        while true {
            let now = MonotonicClock.nanoseconds()
            if now >= deadline || control.results != nil { return }
            if now - lastSample.time >= 1_000_000_000, let onProgress {
                let totals = control.totals
                let rate = Double(totals.requests - lastSample.requests) * 1e9 / Double(now - lastSample.time)
                onProgress(ProgressSample(elapsedSeconds: Double(now - plan.start) / 1e9, requests: totals.requests,
                                          requestsPerSecond: rate, errors: totals.errors))
                lastSample = (now, totals.requests)
            }
            // Wake at least every 10 ms to notice a finished request count; the deadline itself is met to the tick.
            if interrupt.sleep(nanoseconds: min(deadline - now, 10_000_000)) { return }
        }
    }
}
