import Foundation
import Testing
@testable import Metrics

/// The text exposition format 0.0.4, checked against fixed text and against its rules.
struct ExpositionWriterTests {
    private static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/exposition.txt")

    /// Help escaping, label escaping, cumulative buckets with +Inf, `_sum`/`_count`: byte for byte as the fixture.
    @Test func writesTheFixtureExactly() throws {
        var writer = ExpositionWriter()
        writer.family("demo_requests_total", .counter, help: "Requests by \"path\", with a \\ and a\nnewline.")
        writer.sample("demo_requests_total", [("path", "/a\"b\\c\nd")], 3)
        var latency = Histogram(bounds: [0.1, 0.5, 1])
        for value in [0.05, 0.2, 0.5, 3.1] { latency.observe(value) }
        writer.family("demo_latency_seconds", .histogram, help: "Latency.")
        writer.histogram("demo_latency_seconds", [("route", "/x")], latency)
        var sizes = SummaryValue()
        sizes.observe(512)
        sizes.observe(1024)
        writer.family("demo_size_bytes", .summary, help: "Sizes.")
        writer.summary("demo_size_bytes", [], sizes)
        let expected = try String(contentsOf: Self.fixture, encoding: .utf8)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }

    /// Integers print without a fraction; infinities and NaN use Prometheus' spellings.
    @Test(arguments: [(42.0, "42"), (0.25, "0.25"), (-3.0, "-3"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN")])
    func formatsNumbers(value: Double, text: String) {
        #expect(ExpositionWriter.format(value) == text)
    }

    /// Metric names follow `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    @Test(arguments: [("http_requests_total", true), ("a:b_c9", true), ("9lives", false), ("has-dash", false), ("", false)])
    func validatesNames(name: String, valid: Bool) {
        #expect(ExpositionWriter.isValidName(name) == valid)
    }
}
