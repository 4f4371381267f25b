import TestKit
import Testing

/// `api healthcheck` (issue 20, DESIGN §13): 0 when `/readyz` answers 200, 1 with one line otherwise, 2 for usage.
@Suite struct HealthcheckTests {
    @Test(.timeLimit(.minutes(3)))
    func exitsZeroOnlyForAReadyServer() throws {
        let deployment = try TestDeployment()
        let server = try deployment.serve()
        let configured = TestDeployment(copying: deployment, ["API_SERVER_PORT": String(server.port), "API_SERVER_HOST": "0.0.0.0"])
        let ready = try configured.run(["healthcheck"])
        #expect(ready.status == 0 && ready.stderr.isEmpty, "the configured server, asked on loopback: \(ready)")
        let explicit = try deployment.run(["healthcheck", "--url", "http://127.0.0.1:\(server.port)/readyz"])
        #expect(explicit.status == 0, "\(explicit)")
        let missing = try deployment.run(["healthcheck", "--url", "http://127.0.0.1:\(server.port)/nope"])
        #expect(missing.status == 1 && missing.stderr == "api: healthcheck: http://127.0.0.1:\(server.port)/nope answered 404\n", "\(missing)")
        #expect(server.terminate() == 0)
        let stopped = try configured.run(["healthcheck", "--timeout", "500ms"])
        #expect(stopped.status == 1 && stopped.stderr.hasSuffix("Connection refused\n") && stopped.stderr.split(separator: "\n").count == 1,
                "\(stopped)")
        for bad in [["--timeout", "soon"], ["--url", "ftp://host/"], ["extra"]] {
            #expect(try deployment.run(["healthcheck"] + bad).status == 2, "\(bad)")
        }
    }
}
