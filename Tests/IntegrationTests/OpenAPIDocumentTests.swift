import Testing
import TestKit

/// Issue 4, must show 1, 2 and 4: external tools check the live `/openapi.json` of the real binary and its
/// offline docs page. Every route added later is covered without changing these tests; the server declares the test
/// resources (every field type and rule kind: scripts/checks/test_resources.json), so theirs are too (issue 16).
@Suite(.serialized) struct OpenAPIDocumentTests {
    /// `API_RESOURCES` set to the test resources.
    static func withTestResources() throws -> [String: String] {
        ["API_RESOURCES": String(decoding: try SharedTestData.readFile(SharedTestData.repositoryRoot + "/scripts/checks/test_resources.json"), as: UTF8.self)]
    }

    @Test(.timeLimit(.minutes(3)))
    func openAPISpecValidatorAcceptsTheDocument() throws {
        let server = try APIBinary.serve(environment: try Self.withTestResources())
        defer { _ = server.terminate() }
        let file = try SharedTestData.temporaryDirectory() + "/openapi.json"
        let download = try ChildProcess(executable: "/usr/bin/env", arguments: ["curl", "-sf", "-o", file, "http://127.0.0.1:\(server.port)/openapi.json"])
            .finish(timeout: 10)
        #expect(download.status == 0, "\(download)")
        let result = try PythonTool.run("openapi-spec-validator", [file], timeout: 50)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("OK"), "\(result)")
    }

    /// Anonymous, then with an admin's token, so the secured operations are exercised past their 401. The admin is
    /// not user 1, the first id schemathesis tries, so it usually survives the fuzzed DELETEs.
    @Test(.timeLimit(.minutes(4)))
    func schemathesisFindsNoFailures() throws {
        let deployment = try TestDeployment(TestDeployment.withoutRateLimits.merging(try Self.withTestResources()) { $1 })   // a fuzzer is a flood from one address
        for number in 1...3 { _ = try deployment.addUser("user\(number)@example.com", password: "user-password-\(number)") }
        try #require(try deployment.addUser("admin@example.com", password: "admin-password-1", admin: true).status == 0)
        let token = try deployment.run(["token", "issue", "--subject", "admin@example.com", "--ttl", "1h"])
        try #require(token.status == 0, "\(token)")
        let server = try deployment.serve()
        defer { _ = server.terminate() }
        let anonymous = try Schemathesis.run(port: server.port)
        #expect(anonymous.status == 0, "\(anonymous)")
        let authenticated = try Schemathesis.run(port: server.port, token: String(token.stdout.dropLast()))
        #expect(authenticated.status == 0, "\(authenticated)")
    }

    @Test(.timeLimit(.minutes(3)))
    func offlineDocsWorkInHeadlessChromiumWithoutNetwork() throws {
        let server = try APIBinary.serve()
        defer { _ = server.terminate() }
        let script = SharedTestData.repositoryRoot + "/scripts/checks/offline_docs_check.py"
        let result = try ChildProcess(executable: "/usr/bin/env", arguments: ["python3", script, "--url", "http://127.0.0.1:\(server.port)/docs/offline"])
            .finish(timeout: 100)
        #expect(result.status == 0, "\(result)")
        #expect(!result.stdout.contains("FAIL"), "\(result)")
    }
}
