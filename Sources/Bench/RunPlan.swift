import Net

/// The immutable facts every worker of one run shares.
final class RunPlan: @unchecked Sendable {   // every field is immutable; `request` is written once in init
    /// The request, built once and sent as is on every connection; raw bytes, so a send touches no reference count.
    let request: UnsafeRawBufferPointer
    /// The numeric address found by the reachability check, so reconnects need no name lookup.
    let address: String
    let port: Int
    let answersHEAD: Bool
    let timeoutNanoseconds: UInt64
    /// Connections over all threads; a connection's global number places it in the rate schedule.
    let connections: Int
    /// Nanoseconds between consecutive requests over all connections, or nil for closed loop.
    let interval: Double?
    /// When the run started (`MonotonicClock.nanoseconds()`); the rate schedule counts from here.
    let start: UInt64

    init(configuration: BenchConfiguration, address: String) {
        let bytes = configuration.requestBytes()
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        bytes.withUnsafeBytes { storage.copyMemory(from: $0) }
        request = UnsafeRawBufferPointer(storage)
        self.address = address
        port = configuration.url.port
        answersHEAD = configuration.isHEAD
        timeoutNanoseconds = configuration.timeoutNanoseconds
        connections = configuration.connections
        interval = configuration.rate.map { 1e9 / $0 }
        start = MonotonicClock.nanoseconds()
    }

    deinit {
        request.deallocate()
    }

    /// When connection `number` should begin its `sequence`-th request: the run's requests are spaced evenly
    /// and dealt to the connections in turn, so the schedule is constant over all connections (wrk2's model).
    func intendedTime(connection number: Int, sequence: Int, interval: Double) -> UInt64 {
        start + UInt64((Double(number) + Double(sequence) * Double(connections)) * interval)
    }
}
