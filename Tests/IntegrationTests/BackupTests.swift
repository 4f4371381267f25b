import Glibc
import TestKit
import Testing

/// `api backup` and `api restore` (issue 20, must show 5; DESIGN §13), and the backups `serve` schedules.
@Suite(.serialized) struct BackupTests {
    private static let notes = #"{"notes": {"fields": {"title": {"type": "string"}}, "rules": {"create": "authenticated", "list": "authenticated"}}}"#

    /// 64 clients write while `api backup` runs; the backup, restored into a new directory, passes its integrity check
    /// and holds every write acknowledged before it began (backup_check.py); restoring over a database a server has
    /// open is refused.
    @Test(.timeLimit(.minutes(3)))
    func aBackupUnderWritesHoldsEveryEarlierWriteAndRestores() throws {
        let (deployment, token) = try TestDeployment.withAdmin(TestDeployment.withoutRateLimits.merging(["API_RESOURCES": Self.notes]) { $1 })
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let backup = deployment.directory + "/backup.db"
        let check = try PythonTool.run("python", environment: deployment.environment, [
            SharedTestData.repositoryRoot + "/scripts/checks/backup_check.py", "--api", try APIBinary.path(), "--url", "http://127.0.0.1:\(server.port)",
            "--token", token, "--backup", backup, "--restore-db", try SharedTestData.temporaryDirectory() + "/restored/api.db",
        ], timeout: 120)
        print("backup under load: \(check.stdout)")
        #expect(check.status == 0, "\(check)")
        let refused = try deployment.run(["restore", backup])
        #expect(refused.status == 1 && refused.stderr.contains("stop the server before restoring"), "\(refused)")
        #expect(try deployment.run(["healthcheck", "--url", "http://127.0.0.1:\(server.port)/readyz"]).status == 0, "the server serves on")
    }

    /// `backup.interval_s` makes backups while serving, keeps the newest `backup.keep`, and reports them in /metrics.
    @Test(.timeLimit(.minutes(3)))
    func servingMakesScheduledBackupsAndKeepsTheNewest() throws {
        let deployment = try TestDeployment(["API_BACKUP_INTERVAL_S": "1", "API_BACKUP_KEEP": "2"])
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        usleep(3_600_000)
        let client = try server.connect()
        try client.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n")
        let metrics = try client.readResponse().text
        let folder = deployment.directory + "/backups"
        let listing = try #require(try? ChildProcess(executable: "/bin/ls", arguments: [folder]).finish(timeout: 5))
        let names = listing.stdout.split(separator: "\n")
        #expect(names.count == 2 && names.allSatisfy { $0.hasPrefix("api-") && $0.hasSuffix(".db") }, "\(listing.stdout)")
        #expect(metrics.contains("api_backups_total 3") || metrics.contains("api_backups_total 4"), "\(metrics)")
        #expect(!metrics.contains("api_backup_last_success_timestamp_seconds 0\n"), "\(metrics)")
    }

    /// Bad input: no file name, a missing backup, a file that is not a database; --with-secret with a configured secret.
    @Test(.timeLimit(.minutes(3)))
    func badInputGetsOneLineAndTheRightExitCode() throws {
        let deployment = try TestDeployment()
        #expect(try deployment.run(["backup"]).status == 2)
        #expect(try deployment.run(["restore", deployment.directory + "/nope.db"]).status == 2)
        let junk = try SharedTestData.temporaryFile(named: "junk.db", contents: Array("not a database".utf8))
        let restored = try deployment.run(["restore", junk])
        #expect(restored.status == 1 && restored.stderr.contains("not a usable backup"), "\(restored)")
        _ = try deployment.addUser("a@example.com", password: "user-password-1")
        let secret = try deployment.run(["backup", deployment.directory + "/b.db", "--with-secret"])
        #expect(secret.status == 2 && secret.stderr.contains("auth.secret"), "\(secret)")
    }
}
