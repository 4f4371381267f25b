import AppTestKit
import HTTP
import Net
import OpenAPI
import Storage
import Testing
import TestKit
@testable import App

/// Access rules as data (issue 15, item 4): every declared operation, called over a live socket by each kind of
/// caller, is refused (401 or 403) exactly when its declared `Access` says so. The expectations come from the
/// declarations, so an operation added later is covered without changing this test.
@Suite(.serialized) struct AccessTableTests {
    /// Who calls.
    enum Caller: String, CaseIterable {
        case anonymous, invalidToken, member, memberWithMetricsScope, admin
    }

    /// What the declared access says about `caller`: 401, 403, or nil for "let through" (whatever the handler says then).
    static func expectedRefusal(_ access: Access, for caller: Caller, pathNamesTheCaller: Bool) -> Int? {
        let hasToken = caller != .anonymous && caller != .invalidToken
        switch access {
        case .anyone: return nil
        case .optionalToken: return caller == .invalidToken ? 401 : nil
        case .token: return hasToken ? nil : 401
        case .admin: return !hasToken ? 401 : caller == .admin ? nil : 403
        case .scope(let scope):
            #expect(scope == Scopes.metrics, "the table knows one scope")
            return !hasToken ? 401 : caller == .memberWithMetricsScope ? nil : 403
        case .subjectOrAdmin: return !hasToken ? 401 : caller == .admin || pathNamesTheCaller ? nil : 403
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func everyOperationRefusesExactlyTheCallersItsAccessExcludes() throws {
        var config = LiveServer.testDefaults
        config.metricsMode = .token                   // so a scoped operation is in the table
        let users = try Self.addUsers(config)
        let application = try Application(config: config)
        let server = try application.start()
        defer { application.stop(server) }
        let tokens = try Self.tokens(application, users: users, config: config)

        // Deletions last, so the users they might remove are not needed afterwards.
        let operations = application.makeAPI().operations.sorted { ($0.method == .delete ? 1 : 0) < ($1.method == .delete ? 1 : 0) }
        #expect(operations.count >= 10)
        var checked = 0
        for operation in operations {
            for caller in Caller.allCases {
                // A path naming the caller (the member's own id) and one naming somebody else (the admin's).
                let namesTheCaller = caller == .member || caller == .memberWithMetricsScope
                let userID = caller == .member ? users.member : caller == .memberWithMetricsScope ? users.scoped : users.admin
                let path = operation.path.replacingPathParameters(with: String(operation.method == .delete && caller == .admin ? 999 : userID))
                let status = try Self.call(operation.method, path, token: tokens[caller], on: server.port)
                let expected = Self.expectedRefusal(operation.access, for: caller, pathNamesTheCaller: namesTheCaller)
                if let expected {
                    #expect(status == expected, "\(operation.method.name) \(path) as \(caller.rawValue): \(status), declared \(operation.access)")
                } else {
                    #expect(status != 401 && status != 403, "\(operation.method.name) \(path) as \(caller.rawValue): \(status), declared \(operation.access)")
                }
                checked += 1
            }
        }
        #expect(checked == operations.count * Caller.allCases.count)
    }

    /// An admin and two members (each member caller deletes itself in the end).
    /// A path value that validation reads as another user's id, in any of the forms it accepts, is that user:
    /// a member gets 403, never the other user's record.
    @Test(arguments: ["1.0", "+1", " 1", "01", "1%2E0"])
    func aSubjectWrittenInAnotherFormIsStillThatSubject(_ id: String) throws {
        let config = LiveServer.testDefaults
        let users = try Self.addUsers(config)
        #expect(users.admin == 1)
        let application = try Application(config: config)
        let server = try application.start()
        defer { application.stop(server) }
        let tokens = try Self.tokens(application, users: users, config: config)
        let path = "/users/" + id.replacingSpaces()
        #expect(try Self.call(.get, path, token: tokens[.member], on: server.port) == 403, "\(path)")
        #expect(try Self.call(.get, path, token: tokens[.admin], on: server.port) == 200, "\(path)")
    }

    private static func addUsers(_ config: Config) throws -> (admin: Int64, member: Int64, scoped: Int64) {
        try withSeparateStore(config) { store in
            let ids = try [("a", "admin@example.com", true), ("m", "member@example.com", false), ("s", "scoped@example.com", false)].map { user in
                try store.write { try $0.users.insert(name: user.0, email: user.1, passwordHash: "x", isAdmin: user.2, at: SystemTime().timestamp()).id }
            }
            return (ids[0], ids[1], ids[2])
        }
    }

    /// An access token for each caller that sends one, issued and recorded as `api token issue` does.
    private static func tokens(_ application: Application, users: (admin: Int64, member: Int64, scoped: Int64), config: Config) throws -> [Caller: String] {
        var tokens: [Caller: String] = [.invalidToken: "not.a.token"]
        for (caller, userID, scopes) in [(Caller.member, users.member, [String]()), (.memberWithMetricsScope, users.scoped, [Scopes.metrics]),
                                         (.admin, users.admin, [])] {
            let issued = application.services.issuer.issue(userID: userID, scopes: scopes, withRefreshToken: false)
            try application.services.store.write { transaction in for record in issued.records { try transaction.tokens.insert(record) } }
            tokens[caller] = issued.accessToken
        }
        return tokens
    }

    private static func call(_ method: HTTP.Method, _ path: String, token: String?, on port: Int) throws -> Int {
        let client = try TestClient(port: port)
        defer { client.close() }
        let authorization = token.map { "Authorization: Bearer \($0)\r\n" } ?? ""
        try client.send("\(method.name) \(path) HTTP/1.1\r\nHost: test\r\n\(authorization)Content-Length: 0\r\n\r\n")
        return try client.readResponse(isHead: method == .head).status
    }
}

extension String {
    /// Spaces as `%20`, for a request line.
    func replacingSpaces() -> String {
        split(separator: " ", omittingEmptySubsequences: false).joined(separator: "%20")
    }

    /// The path template with every `{name}` replaced by `value`.
    func replacingPathParameters(with value: String) -> String {
        split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") && $0.hasSuffix("}") ? Substring(value) : $0 }
            .joined(separator: "/")
    }
}
