import Foundation
import TestKit
import Testing

extension Tag {
    /// Slow, end-to-end conformance runs (about 100 s); part of `make test`.
    @Tag static var conformance: Self
}

/// Issue 2 "Must show" 2: the shared conformance runner, timeout cases included, against the real binary
/// with its default timeouts (10 s head and body, 5 s keep-alive).
@Suite struct ConformanceTests {
    @Test(.tags(.conformance), .timeLimit(.minutes(5)))
    func sharedConformanceCasesAllPass() throws {
        let server = try APIBinary.serve(environment: ["API_LOG_ACCESS": "off"])
        let output = try SharedTestData.temporaryDirectory() + "/results.json"
        let runner = try ChildProcess(executable: "/usr/bin/env", arguments: [
            "python3", SharedTestData.httpDirectory + "/run_cases.py", "--port", String(server.port), "--timeouts", "--json", output,
        ])
        let run = try runner.finish(timeout: 280)
        #expect(server.terminate() == 0)
        let data = try #require(FileManager.default.contents(atPath: output), "no results; runner said: \(run)")
        let results = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(results.count >= 99, "\(run)")
        for result in results {
            let file = result["file"] as? String ?? "?"
            let verdict = result["verdict"] as? String ?? "?"
            let detail = result["detail"] as? String ?? ""
            #expect(verdict == "pass" || verdict == "info", "\(file): \(verdict) \(detail)")
        }
        // run_cases.py takes 101 Switching Protocols as final, so the WebSocket handshake passes like every other case.
        let summary = run.stdout.split(separator: "\n").last { $0.contains(" passed, ") }
        #expect(summary?.contains(" passed, 0 failed") == true, "\(run.stdout.suffix(300))")
    }
}
