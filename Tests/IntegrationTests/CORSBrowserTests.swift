import JSON
import Testing
import TestKit

/// Issue 19, must show 1: a real browser runs a page from another origin that logs in with fetch, reads the current
/// user, creates a user and is refused another user's record (403); with that origin not allowed, the same calls are blocked.
@Suite(.serialized) struct CORSBrowserTests {
    /// What the page saw (`scripts/checks/cors_browser_check.py`), with the API allowing `allowedOrigin` or none.
    private static func pageResults(allowing allowedOrigin: (Int) -> String?) throws -> [String: String] {
        let pagePort = try FreePort.next()
        let deployment = try TestDeployment(allowedOrigin(pagePort).map { ["API_HTTP_CORS_ALLOW_ORIGINS": $0] } ?? [:])
        #expect(try deployment.addUser("ada@example.com", password: "ada-password-1").status == 0)
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let result = try TestDeployment.script("cors_browser_check.py", [
            "--api", "http://127.0.0.1:\(server.port)", "--page-port", String(pagePort), "--email", "ada@example.com",
            "--password", "ada-password-1"], timeout: 90)
        try #require(result.status == 0, "\(result)")
        let line = try #require(result.stdout.split(separator: "\n").last)
        let members = try #require(try JSONParser.parse(Array(line.utf8)).objectValue?.members)
        return Dictionary(members.map { ($0.key, $0.value.stringValue ?? $0.value.intValue.map(String.init) ?? $0.value.jsonText) }) { first, _ in first }
    }

    @Test(.timeLimit(.minutes(3)))
    func aPageOnAnAllowedOriginCallsTheAPI() throws {
        let seen = try Self.pageResults { "http://localhost:\($0)" }
        #expect(seen["login"] == "200", "\(seen)")
        #expect(seen["me"] == "200" && seen["me_email"] == "ada@example.com", "\(seen)")
        #expect(seen["me_request_id"] == "readable", "x-request-id is exposed: \(seen)")
        #expect(seen["create"] == "201", "a preflighted JSON POST: \(seen)")
        #expect(seen["missing"] == "403" && seen["missing_detail"] == "Not enough permissions", "an error reaches the page too: \(seen)")
        #expect(!seen.keys.contains { $0.hasSuffix("_error") }, "\(seen)")
    }

    @Test(.timeLimit(.minutes(3)))
    func aPageOnAnotherOriginIsBlocked() throws {
        let seen = try Self.pageResults { _ in nil }
        for call in ["login", "me", "create", "missing"] {
            #expect(seen[call] == nil && seen[call + "_error"]?.contains("Failed to fetch") == true, "\(call): \(seen)")
        }
    }
}
