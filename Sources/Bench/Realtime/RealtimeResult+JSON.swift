import JSON

extension RealtimeResult {
    /// The report for machines: one JSON object, documented field by field in docs/bench.md ("Realtime").
    public var json: [UInt8] {
        var writer = JSONWriter(capacity: 2048)
        writer.beginObject()
        writer.key("url"); writer.writeString(configuration.url.description)
        writer.key("mode"); writer.writeString("realtime")
        writer.key("kind"); writer.writeString(configuration.kind.rawValue)
        writer.key("resource"); writer.writeString(configuration.resource)
        writer.key("broadcast"); if let path = configuration.broadcastPath { writer.writeString(path) } else { writer.writeNull() }
        writer.key("threads"); writer.writeInteger(configuration.threads)
        writer.key("write_connections"); writer.writeInteger(configuration.writeConnections)
        writer.key("rate"); writer.writeDouble(configuration.rate)
        writer.key("duration_s"); writer.writeDouble(Formatting.rounded(Double(configuration.durationNanoseconds) / 1e9, digits: 6))
        writer.key("subscribers"); writeSubscribers(into: &writer)
        writer.key("writes"); writeWrites(into: &writer)
        writer.key("events"); writeEvents(into: &writer)
        writer.key("latency_us"); latency.writeReport(into: &writer)
        writer.endObject()
        return writer.bytes
    }

    private func writeSubscribers(into writer: inout JSONWriter) {
        let kinds = requestedByKind
        writer.beginObject()
        writer.writeCounts(["requested": configuration.subscribers, "sse": kinds.sse, "websocket": kinds.websocket, "opened": opened,
                            "failed": failed, "dropped": dropped])
        writer.key("open_s"); writer.writeDouble(Formatting.rounded(openSeconds, digits: 6))
        writer.key("failures"); Self.writeReasons(failures, into: &writer)
        writer.key("drops"); Self.writeReasons(drops, into: &writer)
        writer.endObject()
    }

    private func writeWrites(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.writeCounts(["scheduled": scheduled, "sent": sent, "acknowledged": acknowledged, "failed": failedWrites])
        writer.key("duration_s"); writer.writeDouble(Formatting.rounded(writeSeconds, digits: 6))
        writer.key("status"); Formatting.writeStatuses(writeStatusCounts, into: &writer)
        writer.key("errors"); writeErrors.writeReport(into: &writer)
        writer.endObject()
    }

    private func writeEvents(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.writeCounts(["expected": expected, "delivered": delivered, "lost": lost, "duplicates": duplicates, "unmatched": unmatched,
                            "before_ack": beforeAcknowledgement])
        writer.key("delivery_s"); writer.writeDouble(Formatting.rounded(deliverySeconds, digits: 6))
        writer.key("per_s"); writer.writeDouble(Formatting.rounded(eventsPerSecond, digits: 2))
        writer.endObject()
    }

    private static func writeReasons(_ counts: [(reason: String, count: Int)], into writer: inout JSONWriter) {
        writer.beginObject()
        for entry in counts { writer.key(entry.reason); writer.writeInteger(entry.count) }
        writer.endObject()
    }
}
