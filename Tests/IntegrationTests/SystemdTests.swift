import TestKit
import Testing

/// systemd without systemd (issue 20, must show 2; DESIGN §13), driven by `scripts/checks/systemd_check.py`: the
/// notify protocol's messages and their order, and serving on a socket passed by `systemd-socket-activate`.
@Suite struct SystemdTests {
    private static func check(_ arguments: [String], deployment: TestDeployment) throws -> ProcessResult {
        try PythonTool.run("python", environment: deployment.environment,
                           [SharedTestData.repositoryRoot + "/scripts/checks/systemd_check.py"] + arguments + ["--api", try APIBinary.path()],
                           timeout: 60)
    }

    /// READY=1 once /readyz answers, WATCHDOG=1 at half of WATCHDOG_USEC, STOPPING=1 on SIGTERM and nothing after.
    @Test(.timeLimit(.minutes(3)))
    func notifiesReadyWatchdogAndStoppingInOrder() throws {
        let result = try Self.check(["notify"], deployment: try TestDeployment())
        #expect(result.status == 0, "\(result)")
    }

    /// One passed socket served by two loops (each watching its own duplicate), and by one.
    @Test(.timeLimit(.minutes(3)), arguments: [1, 2])
    func servesOnTheSocketSystemdPasses(workers: Int) throws {
        let result = try Self.check(["activate", "--workers", String(workers)], deployment: try TestDeployment())
        #expect(result.status == 0, "\(result)")
    }
}
