import JSON
import TestKit
import Testing

/// `api bench --realtime` (issue 18) against `api serve` with the example's `projects`: every event of every
/// acknowledged write reaches every subscriber, over SSE and WebSocket, and the JSON report has its fields.
@Suite(.serialized) struct RealtimeBenchTests {
    private static func serve() throws -> (RunningAPIServer, token: String) {
        var environment = TestDeployment.withoutRateLimits
        environment["API_RESOURCES"] = try RealtimeStreamTests.exampleResources()
        let (deployment, token) = try TestDeployment.withAdmin(environment)
        return (try deployment.serve(), token)
    }

    /// 20 subscribers, half SSE and half WebSocket, 50 writes/s for 2 s: 100 writes acknowledged, 2000 events, none lost.
    @Test(.timeLimit(.minutes(3)))
    func mixedSubscribersGetEveryEvent() throws {
        let (server, token) = try Self.serve()
        defer { _ = server.terminate() }
        let result = try APIBinary.run(["bench", "http://127.0.0.1:\(server.port)", "--realtime", "--subscribers", "20", "--kind", "mixed",
                                        "--rate", "50", "-d", "2s", "-H", "Authorization: Bearer \(token)", "--json"], timeout: 30)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let report = try JSONParser.parse(result.stdout)
        for key in ["url", "mode", "kind", "resource", "broadcast", "threads", "write_connections", "rate", "duration_s",
                    "subscribers", "writes", "events", "latency_us"] {
            #expect(report[key] != nil, "missing \(key)")
        }
        let subscribers = try #require(report["subscribers"]), writes = try #require(report["writes"]), events = try #require(report["events"])
        for key in ["requested", "sse", "websocket", "opened", "failed", "dropped", "open_s", "failures", "drops"] {
            #expect(subscribers[key] != nil, "missing subscribers.\(key)")
        }
        for key in ["scheduled", "sent", "acknowledged", "failed", "duration_s", "status", "errors"] {
            #expect(writes[key] != nil, "missing writes.\(key)")
        }
        for key in ["expected", "delivered", "lost", "duplicates", "unmatched", "before_ack", "delivery_s", "per_s"] {
            #expect(events[key] != nil, "missing events.\(key)")
        }
        for key in ["min", "mean", "stdev", "p50", "p90", "p99", "p99_9", "p99_99", "max"] {
            #expect(report["latency_us"]?[key] != nil, "missing latency_us.\(key)")
        }
        #expect(subscribers["sse"]?.intValue == 10 && subscribers["websocket"]?.intValue == 10)
        #expect(subscribers["opened"]?.intValue == 20, "\(result.stdout)")
        #expect(writes["acknowledged"]?.intValue == 100, "\(result.stdout)")
        #expect(writes["status"]?["201"]?.intValue == 100)
        #expect(events["expected"]?.intValue == 2000)
        #expect(events["delivered"]?.intValue == 2000, "\(result.stdout)")
        #expect(events["lost"]?.intValue == 0)
        #expect(events["duplicates"]?.intValue == 0 && events["unmatched"]?.intValue == 0)
    }

    /// Subscribers the server refuses are counted by reason, and the run still reports (exit 0).
    @Test(.timeLimit(.minutes(3)))
    func refusedSubscribersAreCountedByReason() throws {
        let (server, token) = try Self.serve()
        defer { _ = server.terminate() }
        let result = try APIBinary.run(["bench", "http://127.0.0.1:\(server.port)", "--realtime", "--resource", "nothing", "--subscribers", "4",
                                        "--rate", "0", "-d", "200ms", "-H", "Authorization: Bearer \(token)", "--json"], timeout: 30)
        #expect(result.status == 0, "\(result)")
        let subscribers = try #require(try JSONParser.parse(result.stdout)["subscribers"])
        #expect(subscribers["failed"]?.intValue == 4, "\(result.stdout)")
        #expect(subscribers["failures"]?["HTTP 404"]?.intValue == 2, "\(result.stdout)")
        #expect(subscribers["failures"]?["subscribe refused: 404"]?.intValue == 2, "\(result.stdout)")
    }
}
