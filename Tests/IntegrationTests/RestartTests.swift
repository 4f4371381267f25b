import Glibc
import JSON
import TestKit
import Testing

/// Zero-downtime restarts (issue 20, must show 4; DESIGN §13): an `api serve` started with the configuration of a
/// running one takes over its listening sockets, and the old one drains and exits 0, failing no request.
@Suite(.serialized) struct RestartTests {
    /// 20 s of `api bench` at 64 connections while the server is replaced three times: every request answered 200,
    /// no connection error, each old server exits 0 and each new one serves the same port.
    @Test(.timeLimit(.minutes(3)))
    func threeReplacementsUnderLoadFailNoRequest() throws {
        let deployment = try TestDeployment(TestDeployment.withoutRateLimits.merging(["API_SERVER_WORKERS": "2"]) { $1 })
        var server = try deployment.serve()
        var servers = [server]
        let bench = try ChildProcess(executable: try APIBinary.path(), arguments: [
            "bench", "http://127.0.0.1:\(server.port)/readyz", "-c", "64", "-d", "20s", "--json",
        ])
        for _ in 0..<3 {
            usleep(5_000_000)
            let successor = try deployment.serve()
            servers.append(successor)
            #expect(successor.port == server.port, "the successor serves on the sockets it took over")
            #expect(server.process.wait(timeout: 15) == 0, "the old server drains and exits 0: \(server.process.stdout)")
            #expect(server.process.stdout.contains("handed over to a successor"), "\(server.process.stdout)")
            server = successor
        }
        let result = try bench.finish(timeout: 40)
        defer { _ = server.terminate() }
        let report = try JSONParser.parse(result.stdout)
        let errors = try #require(report["errors"])
        let failed = try #require(report["status_400_or_more"]?.intValue)
        print("restart under load: \(report["requests"]?.intValue ?? 0) requests, \(failed) failed, connection errors \(errors.jsonText)")
        #expect(result.status == 0, "\(result)")
        let unready = servers.flatMap { $0.process.stdout.split(separator: "\n").filter { $0.contains("readiness.failed") } }
        #expect(failed == 0 && (report["status"]?["200"]?.intValue ?? 0) == report["requests"]?.intValue, "\(result.stdout)\n\(unready.prefix(5).joined(separator: "\n"))")
        for kind in ["connect", "read", "write", "timeout"] { #expect(errors[kind]?.intValue == 0, "\(kind): \(result.stdout)") }
    }

    /// A successor with fewer loops than its predecessor had sockets watches several on one loop: a load spread over
    /// every socket (each connection lands on one of them) is answered in full.
    @Test(.timeLimit(.minutes(3)))
    func aSuccessorWithFewerLoopsServesEverySocket() throws {
        let deployment = try TestDeployment(TestDeployment.withoutRateLimits.merging(["API_SERVER_WORKERS": "4"]) { $1 })
        let server = try deployment.serve()
        let successor = try TestDeployment(copying: deployment, ["API_SERVER_WORKERS": "1"]).serve()
        defer { _ = successor.terminate() }
        #expect(server.process.wait(timeout: 15) == 0)
        let bench = try APIBinary.run(["bench", "http://127.0.0.1:\(successor.port)/healthz", "-c", "64", "-n", "2000", "--json"])
        let report = try JSONParser.parse(bench.stdout)
        #expect(report["status"]?["200"]?.intValue == 2000 && report["errors"]?["total"]?.intValue == 0, "\(bench)")
    }

    /// A successor that takes the sockets but never says READY (one still migrating, or hung) does not keep the
    /// running server from stopping on SIGTERM.
    @Test(.timeLimit(.minutes(3)))
    func aSuccessorThatNeverSaysReadyDoesNotHoldTheServer() throws {
        let deployment = try TestDeployment()
        let server = try deployment.serve()
        let silent = try ChildProcess(executable: PythonTool.path("python"), arguments: ["-c", """
            import socket, sys, time
            successor = socket.socket(socket.AF_UNIX)
            successor.connect(sys.argv[1])
            successor.sendall(b"TAKEOVER 1\\n")
            print(successor.recv(4096).decode().strip(), flush=True)
            time.sleep(30)
            """, deployment.directory + "/handover.sock"])
        let deadline = TestClient.now() + 10
        while !silent.stdout.hasPrefix("LISTENERS") && TestClient.now() < deadline { usleep(20_000) }
        #expect(silent.stdout.hasPrefix("LISTENERS 127.0.0.1 \(server.port) "), "\(silent.stdout) \(silent.stderr)")
        #expect(server.terminate(timeout: 15) == 0, "SIGTERM stops it though a successor is still being answered")
    }

    /// A successor that fails to start after taking the sockets (here its secret is too short) gives them back: the
    /// running server never stopped accepting, serves on, and hands over to the next successor.
    @Test(.timeLimit(.minutes(3)))
    func aSuccessorThatFailsToStartLeavesTheServerServing() throws {
        let deployment = try TestDeployment()
        let server = try deployment.serve()
        let failed = try TestDeployment(copying: deployment, ["API_AUTH_SECRET": "too-short"]).run(["serve", "--port", String(server.port)])
        #expect(failed.status == 2 && failed.stderr.contains("auth"), "\(failed)")
        #expect(try deployment.run(["healthcheck", "--url", "http://127.0.0.1:\(server.port)/readyz"]).status == 0)
        let successor = try deployment.serve()
        defer { _ = successor.terminate() }
        #expect(successor.port == server.port && server.process.wait(timeout: 15) == 0, "the next successor takes over")
    }

    /// A second server on the same data directory but another address is refused rather than left to run the same
    /// jobs beside the first; the first serves on.
    @Test(.timeLimit(.minutes(3)))
    func aServerOnAnotherAddressIsRefused() throws {
        let deployment = try TestDeployment()
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let other = try deployment.run(["serve", "--port", String(try FreePort.next())])
        #expect(other.status == 1 && other.stderr.contains("another api serve (127.0.0.1:\(server.port)) uses this data directory"), "\(other)")
        #expect(try deployment.run(["healthcheck", "--url", "http://127.0.0.1:\(server.port)/readyz"]).status == 0)
    }
}
