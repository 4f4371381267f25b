extension RealtimeResult {
    /// The report for a person, laid out like the other modes'.
    public var text: String {
        var lines = [header, "  \(configuration.threads) threads of subscribers, 1 of writes over \(configuration.writeConnections) connections"]
        lines.append("  Subscribers: \(opened) opened in \(Formatting.fixed(openSeconds, digits: 2))s, \(failed) failed, \(dropped) dropped")
        lines += Self.reasons("Failed", failures) + Self.reasons("Dropped", drops)
        lines.append("  Writes: \(scheduled) scheduled, \(sent) sent, \(acknowledged) acknowledged, \(failedWrites) failed"
            + " in \(Formatting.fixed(writeSeconds, digits: 2))s")
        if failedWrites > 0 {
            lines.append("    Status codes: " + Formatting.statuses(writeStatusCounts))
            lines.append("    Errors: " + writeErrors.reportText)
        }
        lines.append("  Events: \(expected) expected, \(delivered) delivered, \(lost) lost, \(duplicates) duplicates, \(unmatched) unmatched")
        lines += latency.reportLines(title: "Delivery")
        if beforeAcknowledgement > 0 {
            lines.append("  \(beforeAcknowledgement) events arrived before their write's 201 and count as 0us")
        }
        lines.append("Events/sec: \(Formatting.fixed(eventsPerSecond, digits: 2))")
        return lines.joined(separator: "\n") + "\n"
    }

    private var header: String {
        let duration = DurationText.describe(nanoseconds: configuration.durationNanoseconds)
        let rate = Formatting.trimmed(configuration.rate, digits: 2)
        let kinds = requestedByKind
        let target = configuration.broadcastPath.map { "the broadcast of \($0)" }
            ?? "\(configuration.resource) (\(kinds.sse) sse, \(kinds.websocket) websocket)"
        return "Realtime test @ \(configuration.url) for \(duration): \(configuration.subscribers) subscribers to \(target), \(rate) writes/s"
    }

    private static func reasons(_ title: String, _ counts: [(reason: String, count: Int)]) -> [String] {
        counts.isEmpty ? [] : ["    \(title): " + counts.map { "\($0.reason): \($0.count)" }.joined(separator: ", ")]
    }
}
