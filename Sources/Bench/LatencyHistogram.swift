/// A log-linear histogram of latencies in microseconds, in the manner of HdrHistogram: 3 significant digits
/// from 1 µs to one hour, in a fixed array of counts, so recording is an index computation and an add.
///
/// Values below 2048 µs are kept exactly; above, each power-of-two range is split into 1024 equal steps,
/// so any recorded value is within 1/1024 of the one read back. Mean and deviation come from exact sums.
public struct LatencyHistogram: Sendable, Equatable {
    // 2 * 10^3 rounded up to a power of two gives 3 significant digits (HdrHistogram's sizing rule).
    private static let subBucketHalfCountMagnitude = 10
    private static let subBucketHalfCount = 1 << subBucketHalfCountMagnitude
    private static let subBucketMask: UInt64 = (1 << (subBucketHalfCountMagnitude + 1)) - 1
    /// The largest value tracked; larger ones are counted as this.
    public static let highestTrackable: UInt64 = 3_600_000_000
    // 2048 << 21 is the first power of two step past an hour of microseconds: 22 buckets.
    private static let bucketCount = 22

    private var counts: [UInt64]
    /// How many values were recorded.
    public private(set) var totalCount: UInt64 = 0
    /// The smallest value recorded, in microseconds (0 when empty).
    public private(set) var minimum: UInt64 = .max
    /// The largest value recorded, in microseconds.
    public private(set) var maximum: UInt64 = 0
    private var sum: Double = 0
    private var sumOfSquares: Double = 0

    /// An empty histogram.
    public init() {
        counts = [UInt64](repeating: 0, count: (Self.bucketCount + 1) * Self.subBucketHalfCount)
    }

    /// Records one latency of `microseconds`.
    @inline(__always)
    public mutating func record(microseconds: UInt64) {
        let value = min(microseconds, Self.highestTrackable)
        counts[Self.index(of: value)] &+= 1
        totalCount &+= 1
        minimum = min(minimum, value)
        maximum = max(maximum, value)
        let double = Double(value)
        sum += double
        sumOfSquares += double * double
    }

    /// Adds every value recorded in `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices where other.counts[index] != 0 { counts[index] &+= other.counts[index] }
        totalCount &+= other.totalCount
        minimum = min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
        sum += other.sum
        sumOfSquares += other.sumOfSquares
    }

    /// The arithmetic mean in microseconds (0 when empty).
    public var mean: Double { totalCount == 0 ? 0 : sum / Double(totalCount) }

    /// The population standard deviation in microseconds (0 when empty).
    public var standardDeviation: Double {
        guard totalCount > 0 else { return 0 }
        let mean = self.mean
        return max(0, sumOfSquares / Double(totalCount) - mean * mean).squareRoot()
    }

    /// The value at or below which `percentile` percent of the values fall, as the highest value of its step
    /// (HdrHistogram reports the same), but never more than the largest value recorded.
    public func value(atPercentile percentile: Double) -> UInt64 {
        guard totalCount > 0 else { return 0 }
        // Rounded to nearest as HdrHistogram does: rounding up would turn 99.9% of 1000 (999.0000000000001) into 1000.
        let wanted = max(1, UInt64(percentile / 100 * Double(totalCount) + 0.5))
        var seen: UInt64 = 0
        for index in counts.indices where counts[index] != 0 {
            seen &+= counts[index]
            if seen >= wanted { return min(Self.highestEquivalentValue(atIndex: index), maximum) }
        }
        return maximum
    }

    // MARK: - Index arithmetic

    /// Bucket `b` holds values in [1024 << b, 2048 << b) in steps of `1 << b`; bucket 0 also holds 0..<1024 exactly.
    @inline(__always)
    static func index(of value: UInt64) -> Int {
        let powerOfTwoCeiling = 64 - (value | subBucketMask).leadingZeroBitCount
        let bucket = powerOfTwoCeiling - (subBucketHalfCountMagnitude + 1)
        let subBucket = Int(truncatingIfNeeded: value >> UInt64(bucket))
        return (bucket + 1) << subBucketHalfCountMagnitude + (subBucket - subBucketHalfCount)
    }

    /// The largest value that lands at `index`.
    static func highestEquivalentValue(atIndex index: Int) -> UInt64 {
        var bucket = (index >> subBucketHalfCountMagnitude) - 1
        var subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
        if bucket < 0 {
            subBucket -= subBucketHalfCount
            bucket = 0
        }
        let lowest = UInt64(subBucket) << UInt64(bucket)
        return lowest + (1 << UInt64(bucket)) - 1
    }
}
