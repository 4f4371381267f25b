import Glibc
import Testing
import TestKit
@testable import HTTP

/// CORS, compression, allowed hosts and security headers on a router, in-process: every kind of answer gets them.
@Suite struct EdgeMiddlewareTests {
    private static let large = Array(String(repeating: #"{"name": "a user", "email": "user@example.com"}, "#, count: 40).utf8)

    /// A router with an immediate route, a deferred one, a large one, an error and an echo of the request body.
    private static func router(_ install: (inout Router) -> Void) -> Router {
        var router = Router()
        router.add(.get, "/now") { _, _ in .detail(.ok, "now") }
        router.add(.post, "/later") { _, _ in .later { complete in complete(.detail(.created, "later")) } }
        router.add(.get, "/large") { _, _ in Response(status: .ok, contentType: "application/json", body: large) }
        router.add(.get, "/image") { _, _ in Response(status: .ok, contentType: "image/png", body: large) }
        router.add(.get, "/teapot") { _, _ in throw HTTPError(.conflict, detail: "no") }
        router.add(.post, "/echo") { request, _ in Response(status: .ok, contentType: "text/plain", body: request.body) }
        install(&router)
        return router
    }

    private static func cors(_ configure: (inout CORSPolicy) -> Void = { _ in }) -> RouterClient {
        var policy = CORSPolicy()
        policy.allowOrigins = ["https://app.example.com"]
        configure(&policy)
        return RouterClient(router: router { $0.use(CORSMiddleware(policy)) })
    }

    private static func value(_ response: Response, _ name: String) -> String? {
        response.headers.first { $0.name == name }?.value
    }

    // MARK: - CORS

    @Test func aPreflightFromAnAllowedOriginIsAnsweredBeforeRouting() throws {
        let (response, _) = try Self.cors().send("OPTIONS", "/users/me", headers: [
            ("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "PATCH"),
            ("Access-Control-Request-Headers", "Authorization, Content-Type")])
        #expect(response.status == .noContent, "no route for /users/me here: answered before routing")
        #expect(Self.value(response, "access-control-allow-origin") == "https://app.example.com")
        #expect(Self.value(response, "access-control-allow-methods") == "GET, HEAD, POST, PUT, PATCH, DELETE")
        #expect(Self.value(response, "access-control-allow-headers") == "authorization, content-type")
        #expect(Self.value(response, "access-control-max-age") == "600")
        #expect(Self.value(response, "vary") == "Origin")
        #expect(Self.value(response, "access-control-allow-credentials") == nil)
    }

    @Test(arguments: [
        [("Origin", "https://evil.example.com"), ("Access-Control-Request-Method", "GET")],
        [("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "TRACE")],
        [("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "GET"), ("Access-Control-Request-Headers", "x-secret")],
    ])
    func aPreflightAskingForWhatIsNotAllowedIs400(_ headers: [(String, String)]) throws {
        let (response, _) = try Self.cors().send("OPTIONS", "/now", headers: headers)
        #expect(response.status == .badRequest, "a preflight that is not 2xx fails in the browser")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"detail":"Disallowed CORS request"}"#)
        if headers[0].1 != "https://app.example.com" { #expect(Self.value(response, "access-control-allow-origin") == nil) }
    }

    @Test(arguments: [("GET", "/now", 200), ("POST", "/later", 201), ("GET", "/teapot", 409), ("GET", "/nowhere", 404)])
    func everyAnswerToAnAllowedOriginCarriesTheHeaders(method: String, path: String, status: Int) throws {
        let (response, _) = try Self.cors { $0.allowCredentials = true }.send(method, path, headers: [("Origin", "https://app.example.com")])
        #expect(Int(response.status.code) == status)
        #expect(Self.value(response, "access-control-allow-origin") == "https://app.example.com")
        #expect(Self.value(response, "access-control-allow-credentials") == "true")
        #expect(Self.value(response, "access-control-expose-headers") == "x-request-id, retry-after, location, ratelimit, ratelimit-policy")
        #expect(Self.value(response, "vary") == "Origin")
    }

    @Test func aDisallowedOriginGetsTheAnswerWithoutTheHeaders() throws {
        let (response, _) = try Self.cors().send("GET", "/now", headers: [("Origin", "https://evil.example.com")])
        #expect(response.status == .ok)
        #expect(Self.value(response, "access-control-allow-origin") == nil)
        #expect(Self.value(response, "vary") == "Origin", "a cache must not serve this answer to an allowed origin")
    }

    @Test func anyOriginIsAStarWithoutVary() throws {
        let (response, _) = try Self.cors { $0.allowOrigins = ["*"] }.send("GET", "/now", headers: [("Origin", "https://any.example")])
        #expect(Self.value(response, "access-control-allow-origin") == "*")
        #expect(Self.value(response, "vary") == nil)
    }

    // MARK: - Compression

    private static let compressing = RouterClient(router: router {
        $0.use(Compression(CompressionSettings(), bodyLimit: 4096, loops: 1))
    })

    @Test(arguments: ContentCoding.allCases)
    func aLargeAnswerIsCompressedAndInflatesToTheSameBytes(_ coding: ContentCoding) throws {
        let (response, _) = try Self.compressing.send("GET", "/large", headers: [("Accept-Encoding", coding.rawValue)])
        #expect(Self.value(response, "content-encoding") == coding.rawValue)
        #expect(Self.value(response, "vary") == "Accept-Encoding")
        #expect(try Inflater.inflate(response.body, from: coding, limit: 1 << 20) == Self.large)
    }

    @Test(arguments: [("/now", "gzip"), ("/image", "gzip"), ("/large", "br"), ("/large", "")])
    func smallOrCompressedMediaOrUnacceptedGoOutAsTheyAre(path: String, acceptEncoding: String) throws {
        let (response, _) = try Self.compressing.send("GET", path, headers: acceptEncoding.isEmpty ? [] : [("Accept-Encoding", acceptEncoding)])
        #expect(Self.value(response, "content-encoding") == nil)
    }

    @Test func refusingIdentityGetsEvenASmallAnswerCompressed() throws {
        let (response, _) = try Self.compressing.send("GET", "/now", headers: [("Accept-Encoding", "gzip, identity;q=0")])
        #expect(Self.value(response, "content-encoding") == "gzip")
        #expect(try Inflater.inflate(response.body, from: .gzip, limit: 1 << 20) == Array(#"{"detail":"now"}"#.utf8))
    }

    @Test func aCompressedRequestBodyReachesTheRouteInflated() throws {
        let body = Deflater(level: 6).compress(Self.large, as: .gzip)
        let (response, _) = try Self.compressing.send("POST", "/echo", headers: [("Content-Encoding", "gzip")], body: body)
        #expect(response.status == .ok)
        #expect(response.body == Self.large)
    }

    @Test func aBodyInflatingPastTheLimitIs413AndAnUnknownCoding415() throws {
        let bomb = Deflater(level: 9).compress([UInt8](repeating: 0, count: 1 << 20), as: .gzip)
        #expect(try Self.compressing.send("POST", "/echo", headers: [("Content-Encoding", "gzip")], body: bomb).0.status == .contentTooLarge)
        #expect(try Self.compressing.send("POST", "/echo", headers: [("Content-Encoding", "br")], body: [1, 2]).0.status == .unsupportedMediaType)
        #expect(try Self.compressing.send("POST", "/echo", headers: [("Content-Encoding", "gzip")], body: [1, 2]).0.status == .badRequest)
    }

    // MARK: - Hosts and security headers

    @Test(arguments: [("api.example.com", 200), ("API.example.com:8443", 200), ("eu.api.example.com", 200), ("evil.example", 400),
                      ("example.com", 400)])
    func onlyTheAllowedHostsAreServed(host: String, status: Int) throws {
        let client = RouterClient(router: Self.router { $0.use(AllowedHosts(["api.example.com", "*.api.example.com"])) })
        #expect(Int(try client.send("GET", "/now", headers: [("Host", host)]).0.status.code) == status)
    }

    @Test func everyAnswerIsMarkedAndATokensAnswerIsNotStored() throws {
        let client = RouterClient(router: Self.router { $0.use(SecurityHeaders(strictTransportSecurity: true)) })
        let (plain, _) = try client.send("GET", "/teapot")
        #expect(Self.value(plain, "x-content-type-options") == "nosniff")
        #expect(Self.value(plain, "referrer-policy") == "no-referrer")
        #expect(Self.value(plain, "strict-transport-security") == "max-age=63072000; includeSubDomains")
        #expect(Self.value(plain, "cache-control") == nil)
        #expect(Self.value(try client.send("GET", "/now", headers: [("Authorization", "Bearer x")]).0, "cache-control") == "no-store")
    }
}
