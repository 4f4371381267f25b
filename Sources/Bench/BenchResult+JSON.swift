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
        writer.key("duration_s"); writer.writeDouble(rounded(durationSeconds, digits: 6))
        writer.key("requests"); writer.writeInteger(requests)
        writer.key("responses"); writer.writeInteger(responses)
        writer.key("requests_per_s"); writer.writeDouble(rounded(requestsPerSecond, digits: 2))
        writer.key("bytes_read"); writer.writeInteger(bytesRead)
        writer.key("bytes_per_s"); writer.writeDouble(rounded(bytesPerSecond, digits: 2))
        writer.key("latency_us"); writeLatency(into: &writer)
        writer.key("status"); writeStatuses(into: &writer)
        writer.key("status_400_or_more"); writer.writeInteger(errorResponses)
        writer.key("errors"); writeErrors(into: &writer)
        writer.endObject()
        return writer.bytes
    }

    private func writeLatency(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("min"); writer.writeInteger(latency.totalCount == 0 ? 0 : latency.minimum)
        writer.key("mean"); writer.writeDouble(rounded(latency.mean, digits: 2))
        writer.key("stdev"); writer.writeDouble(rounded(latency.standardDeviation, digits: 2))
        for entry in Self.percentiles {
            writer.key(entry.key); writer.writeInteger(latency.value(atPercentile: entry.percentile))
        }
        writer.key("max"); writer.writeInteger(latency.maximum)
        writer.endObject()
    }

    private func writeStatuses(into writer: inout JSONWriter) {
        writer.beginObject()
        for entry in statusCounts {
            writer.key(String(entry.status)); writer.writeInteger(entry.count)
        }
        writer.endObject()
    }

    private func writeErrors(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("connect"); writer.writeInteger(errors.connect)
        writer.key("read"); writer.writeInteger(errors.read)
        writer.key("write"); writer.writeInteger(errors.write)
        writer.key("timeout"); writer.writeInteger(errors.timeout)
        writer.key("total"); writer.writeInteger(errors.total)
        writer.endObject()
    }

    /// Rounds for output: microsecond means need no more than hundredths, and short numbers read better.
    private func rounded(_ value: Double, digits: Int) -> Double {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}
