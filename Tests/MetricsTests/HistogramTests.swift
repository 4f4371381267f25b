import Testing
import Metrics

/// Histogram bucketing and merging.
struct HistogramTests {
    /// `le` is inclusive: a value equal to a bound lands in that bound's bucket.
    @Test func boundsAreInclusive() {
        var histogram = Histogram(bounds: [0.1, 0.5, 1])
        for value in [0.1, 0.5, 1, 1.0000001] { histogram.observe(value) }
        #expect(histogram.counts == [1, 1, 1, 1])
        #expect(histogram.cumulativeCounts == [1, 2, 3, 4])
        #expect(histogram.count == 4)
    }

    /// Merging per-loop histograms gives the same result as recording everything in one.
    @Test func mergeEqualsRecordingTogether() {
        let values = (0..<1_000).map { Double($0 % 97) / 50 }
        var together = Histogram(bounds: [0.01, 0.1, 1])
        var first = Histogram(bounds: [0.01, 0.1, 1]), second = Histogram(bounds: [0.01, 0.1, 1])
        for (index, value) in values.enumerated() {
            together.observe(value)
            if index.isMultiple(of: 2) { first.observe(value) } else { second.observe(value) }
        }
        first.merge(second)
        #expect(first.counts == together.counts)
        #expect(first.count == together.count)
        #expect(abs(first.sum - together.sum) < 1e-9)
    }
}
