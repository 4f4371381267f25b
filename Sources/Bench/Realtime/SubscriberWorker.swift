import Net

/// One thread's share of the subscribers: opens them a bounded number at a time, matches what they receive in its
/// `DeliveryLedger`, and reports to the `RealtimeControl`. Created on the starting thread, then touched only on its loop.
final class SubscriberWorker {
    let loop: EventLoop
    let plan: RealtimePlan
    private let control: RealtimeControl
    private let index: Int
    private let numbers: [Int]
    private var subscribers: [Subscriber] = []
    private var ledger: DeliveryLedger
    private var stats = SubscriberStats()
    /// Shared by the subscribers: each read is handed over before the next, so one buffer serves them all.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
    /// The next subscriber to open, and how many are opening now.
    private var nextToOpen = 0
    private var opening = 0
    private var isStopped = false

    // Timeouts, matching and progress are one sweep rather than a timer each, as BenchWorker does.
    private static let sweepMilliseconds: UInt64 = 50

    /// A worker for the subscribers numbered `numbers` over all threads.
    init(loop: EventLoop, plan: RealtimePlan, control: RealtimeControl, index: Int, numbers: [Int]) {
        self.loop = loop
        self.plan = plan
        self.control = control
        self.index = index
        self.numbers = numbers
        ledger = DeliveryLedger(subscribers: numbers.count)
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Makes the subscribers and starts opening them; runs on the loop's thread.
    func start() {
        subscribers = numbers.enumerated().map { Subscriber(worker: self, index: $0.offset, subscription: plan.makeSubscription(number: $0.element)) }
        openMore()
        scheduleSweep()
    }

    /// Stops, matches what still waits, closes every subscriber and hands the counts in.
    func finish() {
        guard !isStopped else { return }
        isStopped = true
        ledger.matchWaiting(acks: plan.acks, expiringBefore: .max)
        for subscriber in subscribers { subscriber.close() }
        control.finish(worker: index, stats: takeStats())
        loop.stop()
    }

    // MARK: - From the subscribers

    func subscribed() {
        stats.opened += 1
        openFinished()
    }

    func failed(_ subscriber: Subscriber, reason: String) {
        stats.failed += 1
        stats.failures[reason, default: 0] += 1
        ledger.close(subscriber: subscriber.index)
        openFinished()
    }

    func dropped(_ subscriber: Subscriber, reason: String) {
        stats.dropped += 1
        stats.drops[reason, default: 0] += 1
        ledger.close(subscriber: subscriber.index)
    }

    @inline(__always)
    func received(recordID: Int64, by subscriber: Subscriber, at time: UInt64) {
        ledger.received(recordID: recordID, subscriber: subscriber.index, at: time, acks: plan.acks)
    }

    // MARK: - Opening

    private func openFinished() {
        opening -= 1
        openMore()
    }

    private func openMore() {
        guard !isStopped else { return }
        let now = MonotonicClock.nanoseconds()
        while opening < plan.opensPerThread && nextToOpen < subscribers.count {
            opening += 1
            nextToOpen += 1
            subscribers[nextToOpen - 1].open(now: now)
        }
    }

    private func scheduleSweep() {
        // unowned(unsafe), as BenchWorker's sweep: a timer runs only while the loop does, and the worker outlives it.
        loop.schedule(afterMilliseconds: Self.sweepMilliseconds) { [unowned(unsafe) self] in
            guard !isStopped else { return }
            sweep(now: MonotonicClock.nanoseconds())
            scheduleSweep()
        }
    }

    private func sweep(now: UInt64) {
        let timeout = plan.configuration.timeoutNanoseconds
        if opening > 0 {
            for subscriber in subscribers[..<nextToOpen] { subscriber.checkOpening(now: now, timeout: timeout) }
        }
        // A write is answered or failed within the timeout, so an event still unmatched a second after that is not ours.
        ledger.matchWaiting(acks: plan.acks, expiringBefore: now > timeout + 1_000_000_000 ? now - timeout - 1_000_000_000 : 0)
        control.publish(worker: index, progress: SubscriberProgress(opened: stats.opened, failed: stats.failed, dropped: stats.dropped,
                                                                     delivered: ledger.openDeliveries))
    }

    private func takeStats() -> SubscriberStats {
        var stats = self.stats
        stats.latency = ledger.latency
        stats.delivered = ledger.openDeliveries
        stats.duplicates = ledger.duplicates
        stats.unmatched = ledger.unmatched
        stats.beforeAcknowledgement = ledger.beforeAcknowledgement
        stats.lastDeliveryAt = ledger.lastDeliveryAt
        return stats
    }
}
