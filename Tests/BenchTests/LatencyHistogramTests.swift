import Bench
import Testing

/// The HdrHistogram-style latency histogram: exact below 2048 us, 3 significant digits above, mergeable.
@Suite struct LatencyHistogramTests {
    /// Small values read back exactly at every percentile.
    @Test func smallValuesAreExact() {
        var histogram = LatencyHistogram()
        for value in 1...1000 { histogram.record(microseconds: UInt64(value)) }
        #expect(histogram.value(atPercentile: 50) == 500)
        #expect(histogram.value(atPercentile: 90) == 900)
        #expect(histogram.value(atPercentile: 99) == 990)
        #expect(histogram.value(atPercentile: 99.9) == 999)
        #expect(histogram.value(atPercentile: 100) == 1000)
        #expect(histogram.minimum == 1 && histogram.maximum == 1000)
        #expect(histogram.mean == 500.5)
        #expect(abs(histogram.standardDeviation - 288.675) < 0.001)
    }

    /// Any value up to an hour reads back within 0.1% (three significant digits), never below itself.
    @Test(arguments: [2048, 2049, 4095, 12_345, 999_999, 1_000_000, 61_000_000, 3_599_999_999] as [UInt64])
    func largeValuesKeepThreeSignificantDigits(_ value: UInt64) {
        var histogram = LatencyHistogram()
        histogram.record(microseconds: value)
        histogram.record(microseconds: value + 100_000_000)   // so the max does not cap the percentile
        let read = histogram.value(atPercentile: 50)
        #expect(read >= value)
        #expect(Double(read - value) <= Double(value) / 1000, "\(value) read back as \(read)")
    }

    /// Values past an hour are counted as an hour, not dropped.
    @Test func valuesPastTheRangeAreClamped() {
        var histogram = LatencyHistogram()
        histogram.record(microseconds: .max)
        #expect(histogram.totalCount == 1)
        #expect(histogram.maximum == LatencyHistogram.highestTrackable)
    }

    /// Merging per-thread histograms gives the histogram of all the values.
    @Test func mergeEqualsRecordingEverything() {
        var all = LatencyHistogram(), odd = LatencyHistogram(), even = LatencyHistogram()
        for value in stride(from: 1 as UInt64, through: 200_000, by: 7) {
            all.record(microseconds: value)
            if value % 2 == 0 { even.record(microseconds: value) } else { odd.record(microseconds: value) }
        }
        var merged = odd
        merged.merge(even)
        #expect(merged == all)
        #expect(merged.value(atPercentile: 99.99) == all.value(atPercentile: 99.99))
    }

    /// An empty histogram reports zeros rather than trapping.
    @Test func emptyHistogramReportsZero() {
        let histogram = LatencyHistogram()
        #expect(histogram.value(atPercentile: 99) == 0)
        #expect(histogram.mean == 0 && histogram.standardDeviation == 0)
    }
}
