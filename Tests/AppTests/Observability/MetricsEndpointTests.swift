import Foundation
import Testing
import AppTestKit
import TestKit

/// `GET /metrics` over a live server (issue 6): exact counts under the right labels, and the exposition
/// accepted by Prometheus' own checker.
struct MetricsEndpointTests {
    /// Sends `requests` (method, path) on one keep-alive connection and returns the scrape that follows.
    private func scrape(after requests: [(String, String)], on server: LiveServer) throws -> String {
        let client = try server.connect()
        defer { client.close() }
        for (method, path) in requests {
            try client.send("\(method) \(path) HTTP/1.1\r\nHost: test\r\n\r\n")
            _ = try client.readFinalResponse(isHead: method == "HEAD")
        }
        try client.send("GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n")
        let response = try client.readFinalResponse()
        #expect(response.status == 200)
        #expect(response.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
        return String(decoding: response.body, as: UTF8.self)
    }

    /// The value of the sample line `series` (name and labels exactly as exposed), or nil.
    private func value(of series: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
    }

    private static let mix: [(String, String)] = [
        ("GET", "/healthz"), ("GET", "/healthz"), ("GET", "/healthz/"), ("GET", "/healthz?x=1"),
        ("HEAD", "/healthz"), ("POST", "/healthz"),
        ("GET", "/users/123"), ("GET", "/users/456"), ("GET", "/random/\(UUID().uuidString)"),
    ]

    /// Counts land under the route template; unmatched paths share `handler="none"`; raw paths never become labels.
    @Test func countsAKnownMixUnderTheRightLabels() throws {
        let server = try LiveServer()
        defer { server.stop() }
        let text = try scrape(after: Self.mix, on: server)
        #expect(value(of: #"http_requests_total{handler="/healthz",method="GET",status="2xx"}"#, in: text) == 4)
        #expect(value(of: #"http_requests_total{handler="/healthz",method="HEAD",status="2xx"}"#, in: text) == 1)
        #expect(value(of: #"http_requests_total{handler="/healthz",method="POST",status="4xx"}"#, in: text) == 1)
        #expect(value(of: #"http_requests_total{handler="/users/{user_id}",method="GET",status="4xx"}"#, in: text) == 2, "401s, by template")
        #expect(value(of: #"http_requests_total{handler="none",method="GET",status="4xx"}"#, in: text) == 1)
        #expect(value(of: #"http_request_duration_seconds_count{handler="/healthz",method="GET"}"#, in: text) == 4)
        #expect(value(of: #"http_request_duration_highr_seconds_count"#, in: text) == 9)
        #expect(value(of: #"http_response_size_bytes_sum{handler="/healthz"}"#, in: text) == Double(15 * 5 + 31))
        #expect(value(of: #"http_requests_inprogress{handler="/metrics",method="GET"}"#, in: text) == 1)
        #expect(!text.contains("/users/123") && !text.contains("/users/456") && !text.contains("/random"), "a raw path became a label value")
        let totalSeries = text.split(separator: "\n").filter { $0.hasPrefix("http_requests_total{") }
        #expect(totalSeries.count == 5)
    }

    /// `metrics.group_status: false` labels exact codes.
    @Test func exactStatusCodesWhenNotGrouped() throws {
        let server = try LiveServer { $0.metricsGroupStatus = false }
        defer { server.stop() }
        let text = try scrape(after: [("GET", "/healthz"), ("GET", "/nope"), ("POST", "/healthz")], on: server)
        #expect(value(of: #"http_requests_total{handler="/healthz",method="GET",status="200"}"#, in: text) == 1)
        #expect(value(of: #"http_requests_total{handler="none",method="GET",status="404"}"#, in: text) == 1)
        #expect(value(of: #"http_requests_total{handler="/healthz",method="POST",status="405"}"#, in: text) == 1)
    }

    /// Requests refused before routing are counted apart, by status, and not as handled requests.
    @Test func countsRejectedRequestsByStatus() throws {
        let server = try LiveServer()
        defer { server.stop() }
        for raw in ["GET / HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n", "GET / HTTP/2.0\r\nHost: a\r\n\r\n"] {
            let client = try server.connect()
            try client.send(raw)
            _ = try client.readFinalResponse()
            client.close()
        }
        let text = try scrape(after: [], on: server)
        #expect(value(of: #"api_requests_rejected_total{status="400"}"#, in: text) == 1)
        #expect(value(of: #"api_requests_rejected_total{status="505"}"#, in: text) == 1)
        #expect(!text.contains(#"method="-""#))
    }

    /// `metrics.mode: off` serves no /metrics.
    @Test func offMeansNotFound() throws {
        let server = try LiveServer { $0.metricsMode = .off }
        defer { server.stop() }
        let client = try server.connect()
        defer { client.close() }
        try client.send("GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try client.readFinalResponse().status == 404)
    }

    /// `promtool check metrics` (Debian's prometheus package) accepts the exposition after traffic on several routes.
    @Test func promtoolAcceptsTheExposition() throws {
        let server = try LiveServer()
        defer { server.stop() }
        let text = try scrape(after: Self.mix, on: server)
        let promtool = Process()
        promtool.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        promtool.arguments = ["promtool", "check", "metrics"]
        let input = Pipe(), output = Pipe()
        promtool.standardInput = input
        promtool.standardOutput = output
        promtool.standardError = output
        try promtool.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        promtool.waitUntilExit()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(promtool.terminationStatus == 0, "promtool: \(report)")
        #expect(report.isEmpty, "promtool warnings: \(report)")
    }
}
