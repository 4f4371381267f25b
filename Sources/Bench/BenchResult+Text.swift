extension BenchResult {
    /// The report for a person, laid out like wrk's.
    public var text: String {
        var lines = [header, "  \(configuration.threads) threads and \(configuration.connections) connections, \(modeDescription)"]
        lines += latency.reportLines(title: "Latency")
        lines.append("  \(requests) requests in \(Formatting.fixed(durationSeconds, digits: 2))s, \(Formatting.bytes(Double(bytesRead))) read")
        lines.append("  Status codes: " + Formatting.statuses(statusCounts))
        lines.append("  Errors: " + errors.reportText)
        let failing = statusCounts.filter { $0.status >= 400 }
        if !failing.isEmpty {
            lines.append("  Status >= 400: \(errorResponses) (" + Formatting.statuses(failing) + ")")
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
