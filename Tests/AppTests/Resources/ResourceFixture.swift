import AppTestKit
import Foundation
import HTTP
import JSON
import Net
import Storage
import TestKit
@testable import App

/// Resources that use every field type, every constraint, a compound unique, a reference with each `on_delete`,
/// and each rule kind; a live application serving them, its users (an owner, another member, an admin, a member
/// with the `cleanup` scope) and their tokens; and a client that speaks JSON over a real socket.
struct ResourceFixture {
    /// The test resources, shared with the integration tests (schemathesis runs on them).
    static let file = SharedTestData.repositoryRoot + "/scripts/checks/test_resources.json"

    /// Who calls.
    enum Caller: String, CaseIterable, Sendable {
        case anonymous, owner, other, admin, scoped
    }

    static var declarations: [ResourceDeclaration] {
        // The file is part of the repository and reads (every resource test fails at once otherwise).
        try! ResourceDeclarationReader.read(try! JSONParser.parse(try! SharedTestData.readFile(file)))
    }

    /// The engine the fixtures run on: PostgreSQL when `API_TEST_ENGINE=postgres` (`make test` runs the resource and
    /// change-log suites once more so, issue 21), each fixture on a private cluster of its own; else SQLite.
    static let onPostgres = ProcessInfo.processInfo.environment["API_TEST_ENGINE"] == "postgres"

    let application: Application
    let server: HTTPServer
    let users: [Caller: Int64]
    let tokens: [Caller: String]
    /// The cluster of a fixture on PostgreSQL, stopped with the fixture.
    private let database: PostgresServer?

    var port: Int { server.port }

    /// Starts the application with the test resources, adjusted by `configure`.
    init(_ configure: (inout Config) -> Void = { _ in }) throws {
        var config = LiveServer.testDefaults
        config.resources = Self.declarations
        database = Self.onPostgres ? try PostgresServer() : nil
        if let database {
            config.database.url = database.tcpConnectionString
            config.auth.secret = "resource-fixture-secret-0123456789-abcdefghijklmnop"
        }
        configure(&config)
        application = try Application(config: config)
        server = try application.start()
        var users: [Caller: Int64] = [:], tokens: [Caller: String] = [:]
        for caller in Caller.allCases where caller != .anonymous {
            let user = try application.services.store.write { transaction in
                try transaction.users.insert(name: caller.rawValue, email: "\(caller.rawValue)@example.com", passwordHash: "x",
                                             isAdmin: caller == .admin, at: SystemTime().timestamp())
            }
            let issued = application.services.issuer.issue(userID: user.id, scopes: caller == .scoped ? ["cleanup"] : [], withRefreshToken: false)
            try application.services.store.write { transaction in for record in issued.records { try transaction.tokens.insert(record) } }
            users[caller] = user.id
            tokens[caller] = issued.accessToken
        }
        self.users = users
        self.tokens = tokens
    }

    func stop() {
        application.stop(server)
    }

    /// Sends `method path` with a JSON `body` as `caller`; the status and the parsed body (nil when empty).
    func send(_ method: String, _ path: String, _ body: String? = nil, as caller: Caller = .anonymous,
              headers: [String] = []) throws -> (status: Int, json: JSONValue?, response: TestResponse) {
        let client = try TestClient(port: port)
        defer { client.close() }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: test\r\n"
        if let token = tokens[caller] { head += "Authorization: Bearer \(token)\r\n" }
        for header in headers { head += header + "\r\n" }
        let bytes = Array((body ?? "").utf8)
        if body != nil { head += "Content-Type: application/json\r\n" }
        try client.send(Array((head + "Content-Length: \(bytes.count)\r\n\r\n").utf8) + bytes)
        let response = try client.readResponse(isHead: method == "HEAD")
        return (response.status, response.body.isEmpty ? nil : try JSONParser.parse(response.body), response)
    }

    /// Creates a record as `caller`; its id.
    func create(_ resource: String, _ body: String, as caller: Caller) throws -> Int64 {
        let answer = try send("POST", "/\(resource)/", body, as: caller)
        guard answer.status == 201, let id = answer.json?["id"]?.intValue else {
            throw TestKitError("create \(resource) as \(caller): \(answer.response)")
        }
        return id
    }
}
