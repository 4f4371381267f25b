import AppTestKit
import HTTP
import JSON
import Net
import Storage
import Testing
import TestKit
@testable import App

/// The users and token routes in process (the live flow is in IntegrationTests/UsersFlowTests).
@Suite struct UserRoutesTests {
    private static func json(_ response: Response) throws -> JSONValue { try JSONParser.parse(response.body) }

    private static func createUser(_ client: RouterClient, _ email: String, password: String = "password-123", token: String? = nil) throws -> Response {
        let authorization = token.map { [("Authorization", "Bearer \($0)")] } ?? []
        return try client.send("POST", "/users/", headers: [("Content-Type", "application/json")] + authorization,
                               body: Array(#"{"name":"n","email":"\#(email)","password":"\#(password)"}"#.utf8)).0
    }

    /// Logs `email` in (password `password-123`) and returns the access token.
    private static func accessToken(_ client: RouterClient, _ email: String) throws -> String {
        let response = try login(client, email)
        return try #require(try json(response)["access_token"]?.stringValue, "login of \(email): \(response.status)")
    }

    private static func login(_ client: RouterClient, _ email: String, password: String = "password-123") throws -> Response {
        try client.send("POST", "/token", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                        body: Array("username=\(email)&password=\(password)".utf8)).0
    }

    /// DESIGN §6: a hash made with older Argon2 costs is replaced at the next successful login.
    @Test func aLoginRehashesAPasswordStoredWithOtherCosts() throws {
        var config = LiveServer.testDefaults
        let before = try Application(config: config)
        #expect(try Self.createUser(RouterClient(router: before.makeRouter()), "rehash@example.com").status == .created)
        before.close()
        config.auth.argon2MemoryKiB = 128
        let after = try Application(config: config)
        defer { after.close() }
        let client = RouterClient(router: after.makeRouter())
        #expect(try Self.login(client, "rehash@example.com").status == .ok)
        let stored = try after.services.store.read(on: 0) { try $0.users.credentials(email: "rehash@example.com")?.passwordHash }
        #expect(stored?.hasPrefix("$argon2id$v=19$m=128,t=1,p=1$") == true, "\(stored ?? "none")")
        #expect(try Self.login(client, "rehash@example.com").status == .ok, "the new hash verifies")
    }

    /// With sign-up closed, anonymous creation is 401 and a non-admin's is 403; an admin's works.
    @Test func closedSignUpNeedsAnAdmin() throws {
        var config = LiveServer.testDefaults
        config.auth.allowsSignup = false
        let application = try Application(config: config)
        defer { application.close() }
        let client = RouterClient(router: application.makeRouter())
        let anonymous = try Self.createUser(client, "anon@example.com")
        #expect(anonymous.status == .unauthorized)
        #expect(anonymous.headers.contains(HeaderPair("www-authenticate", "Bearer")))
        let hash = try application.services.hasher.hash(Array("password-123".utf8))
        for (email, isAdmin) in [("member@example.com", false), ("admin@example.com", true)] {
            _ = try application.services.store.write { try $0.users.insert(name: "n", email: email, passwordHash: hash, isAdmin: isAdmin, at: SystemTime().timestamp()) }
        }
        let member = try Self.createUser(client, "new@example.com", token: Self.accessToken(client, "member@example.com"))
        #expect(member.status == .forbidden, "a signed-in non-admin may not create users")
        let admin = try Self.createUser(client, "new@example.com", token: Self.accessToken(client, "admin@example.com"))
        #expect(admin.status == .created, "an admin may")
        #expect(try Self.json(admin)["email"]?.stringValue == "new@example.com")
    }

    /// Issue 14, item 3: no field that holds a secret (`password` of sign-up and update, and of the password grant,
    /// `refresh_token`, `client_secret`, the revoked `token`) comes back in a 422, failing or beside a failure.
    @Test(arguments: [
        ("POST", "/users/", #"{"name":"n","email":"a@example.com","password":"SECRET"}"#, true),
        ("POST", "/users/", #"{"email":"a@example.com","password":"SECRET-long-enough"}"#, true),
        ("POST", "/users/", #"{"name":"n","email":"a@example.com","password":["SECRET-in-a-list"]}"#, true),
        ("PATCH", "/users/1", #"{"password":"SECRET"}"#, true),
        ("PATCH", "/users/1", #"{"name":"","password":"SECRET-long-enough"}"#, false),
        ("POST", "/token", "grant_type=bogus&username=a%40example.com&password=SECRET-3&refresh_token=SECRET-4&client_secret=SECRET-5", false),
        ("POST", "/token/revoke", "token=SECRET-6&token_type_hint=\(String(repeating: "h", count: 65))", false),
    ])
    func aSecretNeverComesBackInAValidationError(method: String, path: String, body: String, showsTheMask: Bool) throws {
        let config = LiveServer.testDefaults
        let application = try Application(config: config)
        defer { application.close() }
        let client = RouterClient(router: application.makeRouter())
        #expect(try Self.createUser(client, "owner@example.com").status == .created)
        let isJSON = body.hasPrefix("{")
        let contentType = isJSON ? "application/json" : "application/x-www-form-urlencoded"
        let token = try Self.accessToken(client, "owner@example.com")
        let (response, _) = try client.send(method, path, headers: [("Content-Type", contentType), ("Authorization", "Bearer \(token)")],
                                            body: Array(body.utf8))
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == .unprocessableContent, "\(text)")
        #expect(!text.contains("SECRET"), "\(text)")
        #expect(text.contains(#""**********""#) == showsTheMask, "\(text)")
    }

    /// A user cannot make themselves an admin by signing up with `is_admin`.
    @Test func signingUpAsAnAdminIsForbidden() throws {
        let application = try Application(config: LiveServer.testDefaults)
        defer { application.close() }
        let (response, _) = try RouterClient(router: application.makeRouter()).send(
            "POST", "/users/", headers: [("Content-Type", "application/json")],
            body: Array(#"{"name":"n","email":"boss@example.com","password":"password-123","is_admin":true}"#.utf8))
        #expect(response.status == .forbidden)
    }

    /// The password grant needs both fields: a missing one is 422 in Pydantic's shape, as FastAPI's form gives.
    @Test func aPasswordGrantWithoutAPasswordIs422() throws {
        let application = try Application(config: LiveServer.testDefaults)
        defer { application.close() }
        let (response, _) = try RouterClient(router: application.makeRouter()).send(
            "POST", "/token", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("username=a@example.com".utf8))
        #expect(response.status == .unprocessableContent)
        #expect(try Self.json(response)["detail"]?.arrayValue?.first?["loc"] == ["body", "password"])
    }

    /// `GET /readyz` is 200 on a migrated database.
    @Test func readinessIsReadyOnAMigratedDatabase() throws {
        let application = try Application(config: LiveServer.testDefaults)
        defer { application.close() }
        let (response, _) = try RouterClient(router: application.makeRouter()).send("GET", "/readyz")
        #expect(response.status == .ok)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"status":"ready"}"#)
    }
}
