import Testing
import TestKit

/// A real Prometheus server (Debian's `prometheus`) scrapes `api serve`, and PromQL's rate over
/// `http_requests_total` equals the rate the test sent (issue 6). About 20 s, loopback only.
struct PrometheusScrapeTests {
    @Test(.timeLimit(.minutes(3)))
    func promQLRateMatchesTheTrafficSent() throws {
        let script = SharedTestData.repositoryRoot + "/scripts/checks/prometheus_check.py"
        let result = try ChildProcess(executable: "/usr/bin/env", arguments: ["python3", script, try APIBinary.path()]).finish(timeout: 90)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("1 passed, 0 failed"), "\(result)")
    }
}
