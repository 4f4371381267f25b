import JSON
import TestKit
import Testing

/// `api bench` as a user runs it: the JSON report (must-show 3), the progress line (must-show 4), and bad input.
@Suite(.serialized) struct BenchCommandTests {
    /// The JSON is one object with the documented fields, and every finished request is either a status or an error:
    /// here the server stalls past the timeout once, so there are timeouts next to the 200s.
    @Test func jsonCountsAddUp() throws {
        let server = try StallingServer(stallAfterSeconds: 0.5, stallSeconds: 0.6)
        defer { server.stop() }
        let result = try APIBinary.run(["bench", "http://127.0.0.1:\(server.port)/", "-c", "4", "-t", "2", "-d", "1500ms",
                                        "--timeout", "300ms", "--json"], timeout: 20)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty)
        let report = try JSONParser.parse(result.stdout)
        for key in ["url", "mode", "rate", "threads", "connections", "duration_s", "requests", "responses", "requests_per_s",
                    "bytes_read", "bytes_per_s", "latency_us", "status", "status_400_or_more", "errors"] {
            #expect(report[key] != nil, "missing \(key)")
        }
        for key in ["min", "mean", "stdev", "p50", "p90", "p99", "p99_9", "p99_99", "max"] {
            #expect(report["latency_us"]?[key] != nil, "missing latency_us.\(key)")
        }
        let statuses = report["status"]?.objectValue?.members.compactMap { $0.value.intValue }.reduce(0, +) ?? -1
        let errors = report["errors"]
        let errorSum = ["connect", "read", "write", "timeout"].compactMap { errors?[$0]?.intValue }.reduce(0, +)
        #expect(errors?["timeout"]?.intValue ?? 0 > 0, "the stall should time some requests out: \(result.stdout)")
        #expect(errors?["total"]?.intValue == errorSum)
        #expect(report["responses"]?.intValue == statuses)
        #expect(report["requests"]?.intValue == statuses + errorSum)
        #expect(report["mode"]?.stringValue == "closed")
    }

    /// Values attached to one-letter options, as wrk users type them (`-c3 -t2 -n10`), mean the same as separate ones.
    @Test func acceptsWrkStyleAttachedValues() throws {
        let server = try StallingServer()
        defer { server.stop() }
        let result = try APIBinary.run(["bench", "http://127.0.0.1:\(server.port)/", "-c3", "-t2", "-n10", "--json"])
        #expect(result.status == 0, "\(result)")
        let report = try JSONParser.parse(result.stdout)
        #expect(report["connections"]?.intValue == 3)
        #expect(report["threads"]?.intValue == 2)
        #expect(report["requests"]?.intValue == 10)
    }

    /// With -n, exactly that many requests are made, split over the threads.
    @Test func requestCountIsExact() throws {
        let server = try StallingServer()
        defer { server.stop() }
        let result = try APIBinary.run(["bench", "http://127.0.0.1:\(server.port)/x?y=1", "-c", "3", "-t", "2", "-n", "1001", "--json"])
        #expect(result.status == 0, "\(result)")
        let report = try JSONParser.parse(result.stdout)
        #expect(report["requests"]?.intValue == 1001)
        #expect(report["status"]?["200"]?.intValue == 1001)
    }

    /// On a terminal (a pty made by script(1)) the progress line is drawn on stderr; redirected, there is none.
    @Test func progressLineOnlyOnATerminal() throws {
        let server = try StallingServer()
        defer { server.stop() }
        let command = "\(try APIBinary.path()) bench http://127.0.0.1:\(server.port)/ -c 2 -t 1 -d 2200ms"
        let onTerminal = try ChildProcess(executable: "/usr/bin/script", arguments: ["-qec", command, "/dev/null"]).finish(timeout: 20)
        #expect(onTerminal.status == 0, "\(onTerminal)")
        #expect(onTerminal.stdout.contains("req/s now"), "\(onTerminal)")
        #expect(onTerminal.stdout.contains("Requests/sec:"))

        let redirected = try APIBinary.run(["bench", "http://127.0.0.1:\(server.port)/", "-c", "2", "-t", "1", "-d", "1200ms"])
        #expect(redirected.status == 0, "\(redirected)")
        #expect(redirected.stderr.isEmpty, "\(redirected)")
        #expect(!redirected.stdout.contains("req/s now"))
        #expect(redirected.stdout.contains("Requests/sec:"))
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let status: Int32
        let message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    /// Bad input is one line on stderr and exit 2 (usage) or 1 (unreachable), quickly, never a hang.
    @Test(arguments: [
        BadInput(arguments: ["bench"], status: 2, message: "missing URL"),
        BadInput(arguments: ["bench", "127.0.0.1:8000/"], status: 2, message: "malformed URL"),
        BadInput(arguments: ["bench", "http://:80/"], status: 2, message: "malformed URL"),
        BadInput(arguments: ["bench", "http://127.0.0.1:99999/"], status: 2, message: "port"),
        BadInput(arguments: ["bench", "https://127.0.0.1/"], status: 2, message: "https is not supported"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/", "-c", "0"], status: 2, message: "-c"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/", "-c", "1", "-t", "2"], status: 2, message: "-t"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/", "-d", "soon"], status: 2, message: "not a duration"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/", "-d", "1s", "-n", "5"], status: 2, message: "either -d or -n"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/", "--rate", "0"], status: 2, message: "--rate"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/", "-H", "no colon"], status: 2, message: "Name: value"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/", "--body", "/nonexistent/file"], status: 2, message: "--body"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/"], status: 1, message: "Connection refused"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/", "--realtime", "--kind", "sse,websocket"], status: 2, message: "--kind"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/", "--subscribers", "5"], status: 2, message: "needs --realtime"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/", "--realtime", "-n", "5"], status: 2, message: "does not apply to --realtime"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/", "--realtime", "--broadcast", "/ws", "--kind", "sse"], status: 2, message: "--broadcast"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/", "--realtime", "--rate", "x"], status: 2, message: "--rate"),
        BadInput(arguments: ["bench", "http://127.0.0.1:1/", "--realtime"], status: 1, message: "Connection refused"),
    ])
    func badInputFailsWithOneLine(_ input: BadInput) throws {
        let result = try APIBinary.run(input.arguments, timeout: 10)
        #expect(result.status == input.status, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains(input.message), "\(result)")
        #expect(result.stdout.isEmpty)
    }
}
