import Glibc
import Postgres
import TestKit
import Testing

/// PostgreSQL on another host that is cut off and brought back (issue 21, failures), in a rig of network namespaces:
/// no statement waits past its timeout while the host is unreachable, and the link answers again once it is back.
@Suite struct PostgresPartitionTests {
    @Test(.timeLimit(.minutes(1)), .enabled(if: getuid() == 0, "network namespaces need root (make test runs as root)"))
    func aCutOffServerFailsStatementsInTimeAndTheLinkComesBack() throws {
        let rig = try NetworkRig(hosts: ["db"])
        let server = try PostgresServer(on: "db", of: rig)
        defer { withExtendedLifetime(server) {} }   // its deinit stops it
        let link = try PostgresLinkTests.Rig(server.tcpConnectionString, timeoutMilliseconds: 1000)
        #expect(link.secondsUntilAnswered(within: 5) != nil, "reached \(server.address) across the bridge: \(link.ask("SELECT 1"))")
        try rig.isolate("db")
        var slowest = 0.0
        let cutOff = TestClient.now()
        while TestClient.now() - cutOff < 4 {
            let (outcome, seconds) = link.ask("SELECT 1")
            if case .success = outcome { Issue.record("answered while the host is cut off") }
            slowest = max(slowest, seconds)
        }
        #expect(slowest < 1.5, "no statement waited past its 1 s timeout: slowest \(slowest) s")
        try rig.reconnect("db")
        let back = link.secondsUntilAnswered(within: 10)
        #expect(back != nil, "the link reconnected by itself")
        print("partition: slowest failure while cut off \(slowest) s; answered again \(back ?? -1) s after the host came back")
    }
}
