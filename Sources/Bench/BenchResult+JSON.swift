import JSON

extension BenchResult {
    /// The report for machines: one JSON object, documented field by field in docs/bench.md.
    public var json: [UInt8] {
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        writer.key("url"); writer.writeString(configuration.url.description)
        writer.key("mode"); writer.writeString(configuration.rate == nil ? "closed" : "rate")
        writer.key("rate"); if let rate = configuration.rate { writer.writeDouble(rate) } else { writer.writeNull() }
        writer.key("threads"); writer.writeInteger(configuration.threads)
        writer.key("connections"); writer.writeInteger(configuration.connections)
        writer.key("duration_s"); writer.writeDouble(Formatting.rounded(durationSeconds, digits: 6))
        writer.key("requests"); writer.writeInteger(requests)
        writer.key("responses"); writer.writeInteger(responses)
        writer.key("requests_per_s"); writer.writeDouble(Formatting.rounded(requestsPerSecond, digits: 2))
        writer.key("bytes_read"); writer.writeInteger(bytesRead)
        writer.key("bytes_per_s"); writer.writeDouble(Formatting.rounded(bytesPerSecond, digits: 2))
        writer.key("latency_us"); latency.writeReport(into: &writer)
        writer.key("status"); Formatting.writeStatuses(statusCounts, into: &writer)
        writer.key("status_400_or_more"); writer.writeInteger(errorResponses)
        writer.key("errors"); errors.writeReport(into: &writer)
        writer.endObject()
        return writer.bytes
    }
}
