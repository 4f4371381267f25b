/// A Prometheus histogram's state: per-bucket counts (the last bucket is +Inf), the sum and the count.
public struct Histogram: Sendable, Equatable {
    /// Upper bounds of the finite buckets, ascending; +Inf is implied.
    public let bounds: [Double]
    /// Observations per bucket, not cumulative; `counts.count == bounds.count + 1`.
    public private(set) var counts: [UInt64]
    /// Sum of all observations.
    public private(set) var sum: Double = 0
    /// Number of observations.
    public private(set) var count: UInt64 = 0

    /// An empty histogram with `bounds` (ascending, finite).
    public init(bounds: [Double]) {
        precondition(zip(bounds, bounds.dropFirst()).allSatisfy(<), "histogram bounds must ascend")
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count + 1)
    }

    /// Records `value` in the first bucket whose bound is at least `value` (`le` is inclusive).
    public mutating func observe(_ value: Double) {
        var index = 0
        while index < bounds.count && value > bounds[index] { index += 1 }
        counts[index] += 1
        sum += value
        count += 1
    }

    /// Adds `other` (same bounds) into this one; used to merge per-loop histograms at scrape time.
    public mutating func merge(_ other: Histogram) {
        precondition(bounds == other.bounds, "merging histograms with different buckets")
        for index in counts.indices { counts[index] += other.counts[index] }
        sum += other.sum
        count += other.count
    }

    /// Cumulative counts per bucket, as the exposition format wants them (`le` buckets).
    public var cumulativeCounts: [UInt64] {
        var running: UInt64 = 0
        return counts.map { running += $0; return running }
    }
}
