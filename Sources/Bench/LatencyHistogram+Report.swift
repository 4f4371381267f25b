import JSON

extension LatencyHistogram {
    /// The percentiles every report shows, with their labels and JSON names.
    static let reportedPercentiles: [(percentile: Double, label: String, key: String)] = [
        (50, "p50", "p50"), (90, "p90", "p90"), (99, "p99", "p99"), (99.9, "p99.9", "p99_9"), (99.99, "p99.99", "p99_99"),
    ]

    /// The latency lines of a text report, laid out like wrk's: mean, deviation and maximum, then the percentiles.
    func reportLines(title: String) -> [String] {
        var lines = ["  \(title)".padded(to: 15) + "mean       stdev      max"]
        lines.append("             " + [mean, standardDeviation, Double(maximum)]
            .map { Formatting.latency(microseconds: $0).padded(to: 11) }.joined().trimmingTrailingSpaces())
        lines.append("  \(title) distribution")
        for entry in Self.reportedPercentiles {
            lines.append("    " + entry.label.padded(to: 8) + Formatting.latency(microseconds: Double(value(atPercentile: entry.percentile))))
        }
        lines.append("    " + "max".padded(to: 8) + Formatting.latency(microseconds: Double(maximum)))
        return lines
    }

    /// The `latency_us` object of a JSON report: `min`, `mean`, `stdev`, the percentiles and `max`, all 0 when empty.
    func writeReport(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("min"); writer.writeInteger(totalCount == 0 ? 0 : minimum)
        writer.key("mean"); writer.writeDouble(Formatting.rounded(mean, digits: 2))
        writer.key("stdev"); writer.writeDouble(Formatting.rounded(standardDeviation, digits: 2))
        for entry in Self.reportedPercentiles {
            writer.key(entry.key); writer.writeInteger(value(atPercentile: entry.percentile))
        }
        writer.key("max"); writer.writeInteger(maximum)
        writer.endObject()
    }
}

extension String {
    /// The text followed by spaces up to `width` characters, and at least one: a column of a text report.
    func padded(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    fileprivate func trimmingTrailingSpaces() -> String {
        String(self[..<(lastIndex { $0 != " " }.map(index(after:)) ?? startIndex)])
    }
}
