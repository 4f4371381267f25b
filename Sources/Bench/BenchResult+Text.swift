extension BenchResult {
    /// The report for a person, laid out like wrk's.
    public var text: String {
        var lines = [header, "  \(configuration.threads) threads and \(configuration.connections) connections, \(modeDescription)"]
        lines.append("  Latency      mean       stdev      max")
        lines.append("             " + [latency.mean, latency.standardDeviation, Double(latency.maximum)]
            .map { Formatting.latency(microseconds: $0).padding(to: 11) }.joined().trimmingTrailingSpaces())
        lines.append("  Latency distribution")
        for entry in Self.percentiles {
            lines.append("    " + (entry.label).padding(to: 8) + Formatting.latency(microseconds: Double(latency.value(atPercentile: entry.percentile))))
        }
        lines.append("    " + "max".padding(to: 8) + Formatting.latency(microseconds: Double(latency.maximum)))
        lines.append("  \(requests) requests in \(Formatting.fixed(durationSeconds, digits: 2))s, \(Formatting.bytes(Double(bytesRead))) read")
        lines.append("  Status codes: " + (statusCounts.isEmpty ? "none" : statusCounts.map { "\($0.status): \($0.count)" }.joined(separator: ", ")))
        lines.append("  Errors: connect \(errors.connect), read \(errors.read), write \(errors.write), timeout \(errors.timeout)")
        let failing = statusCounts.filter { $0.status >= 400 }
        if !failing.isEmpty {
            lines.append("  Status >= 400: \(errorResponses) (" + failing.map { "\($0.status): \($0.count)" }.joined(separator: ", ") + ")")
        }
        lines.append("Requests/sec: \(Formatting.fixed(requestsPerSecond, digits: 2))")
        lines.append("Transfer/sec: \(Formatting.bytes(bytesPerSecond))")
        return lines.joined(separator: "\n") + "\n"
    }

    private var header: String {
        switch configuration.length {
        case .duration(let nanoseconds): "Running \(DurationText.describe(nanoseconds: nanoseconds)) test @ \(configuration.url)"
        case .requests(let count): "Running \(count) requests @ \(configuration.url)"
        }
    }

    private var modeDescription: String {
        guard let rate = configuration.rate else { return "closed loop" }
        return "\(Formatting.trimmed(rate, digits: 2)) req/s constant rate (latency from intended send times)"
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    fileprivate func trimmingTrailingSpaces() -> String {
        String(self[..<(lastIndex { $0 != " " }.map(index(after:)) ?? startIndex)])
    }
}
