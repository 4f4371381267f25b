import Bench
import Testing

/// Coordinated omission (issue 7, must-show 2): a server that stalls for 1 s once during a 5 s run.
/// Closed loop, each connection waits out the stall with one request, so the stall is a handful of slow
/// samples among many fast ones; at a constant --rate every request scheduled during the stall counts its wait.
@Suite(.serialized) struct CoordinatedOmissionTests {
    private func run(rate: Double?) throws -> BenchResult {
        let server = try StallingServer(stallAfterSeconds: 1.5, stallSeconds: 1)
        defer { server.stop() }
        var configuration = BenchConfiguration(url: try BenchURL(parsing: "http://127.0.0.1:\(server.port)/"))
        configuration.connections = 10
        configuration.threads = 2
        configuration.length = .duration(nanoseconds: 5_000_000_000)
        configuration.rate = rate
        return try LoadGenerator.run(configuration)
    }

    /// At --rate 1000 the 1 s stall delays a fifth of the requests, so p99 is most of a second; closed loop hides it.
    @Test func rateModeReportsTheStallThatClosedLoopHides() throws {
        let paced = try run(rate: 1000)
        let closed = try run(rate: nil)
        let pacedP99 = paced.latency.value(atPercentile: 99)
        let closedP99 = closed.latency.value(atPercentile: 99)
        #expect(paced.errors.total == 0 && closed.errors.total == 0)
        // About 5000 requests were scheduled; the first sends and the stall's backlog may shift a few.
        #expect(paced.requests > 4500 && paced.requests < 5100, "paced requests: \(paced.requests)")
        #expect(pacedP99 > 500_000, "p99 at --rate 1000: \(pacedP99) us")
        #expect(paced.latency.maximum > 900_000, "max at --rate 1000: \(paced.latency.maximum) us")
        #expect(closedP99 < 100_000, "closed-loop p99: \(closedP99) us")
        #expect(closedP99 * 5 < pacedP99)
        // Closed loop still saw the stall, once per connection: its max is the stall.
        #expect(closed.latency.maximum > 900_000, "closed-loop max: \(closed.latency.maximum) us")
    }
}
