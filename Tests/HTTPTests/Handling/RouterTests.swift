import HTTP
import TestKit
import Testing

/// Routing as FastAPI clients expect it: static and `{param}` segments, with or without a trailing slash,
/// 404 vs 405 with `Allow`, HEAD answered by GET, and errors in FastAPI's JSON shape.
@Suite struct RouterTests {
    static func echo(_ label: String) -> Handler {
        { _, context in
            let parameters = context.pathParameters.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
            return Response(status: .ok, contentType: "text/plain", body: Array("\(label)|\(parameters)".utf8))
        }
    }

    static let client: RouterClient = {
        var router = Router()
        router.add(.get, "/healthz", use: echo("health"))
        router.add(.get, "/users/", use: echo("list"))
        router.add(.post, "/users/", use: echo("create"))
        router.add(.get, "/users/me", use: echo("me"))
        router.add(.get, "/users/{user_id}", use: echo("read"))
        router.add(.patch, "/users/{user_id}", use: echo("update"))
        router.add(.delete, "/users/{user_id}", use: echo("delete"))
        router.add(.get, "/users/{user_id}/posts/{post_id}", use: echo("post"))
        router.add(.post, "/token", use: echo("token"))
        return RouterClient(router: router)
    }()

    struct Route: Sendable, CustomTestStringConvertible {
        let method: String
        let target: String
        let body: String
        let route: String
        var testDescription: String { "\(method) \(target)" }
    }

    @Test(arguments: [
        Route(method: "GET", target: "/healthz", body: "health|", route: "/healthz"),
        Route(method: "GET", target: "/healthz/", body: "health|", route: "/healthz"),
        Route(method: "GET", target: "/users", body: "list|", route: "/users/"),
        Route(method: "GET", target: "/users/", body: "list|", route: "/users/"),
        Route(method: "POST", target: "/users", body: "create|", route: "/users/"),
        Route(method: "GET", target: "/users/me", body: "me|", route: "/users/me"),
        Route(method: "GET", target: "/users/42", body: "read|user_id=42", route: "/users/{user_id}"),
        Route(method: "GET", target: "/users/42/", body: "read|user_id=42", route: "/users/{user_id}"),
        Route(method: "GET", target: "/users/42?x=1", body: "read|user_id=42", route: "/users/{user_id}"),
        Route(method: "GET", target: "/users/a%20b", body: "read|user_id=a b", route: "/users/{user_id}"),
        Route(method: "GET", target: "/users/%252e", body: "read|user_id=%2e", route: "/users/{user_id}"),
        Route(method: "PATCH", target: "/users/7", body: "update|user_id=7", route: "/users/{user_id}"),
        Route(method: "DELETE", target: "/users/7", body: "delete|user_id=7", route: "/users/{user_id}"),
        Route(method: "GET", target: "/users/7/posts/9", body: "post|user_id=7,post_id=9", route: "/users/{user_id}/posts/{post_id}"),
        Route(method: "GET", target: "/health%7A", body: "health|", route: "/healthz"),
    ])
    func requestReachesItsRoute(_ route: Route) throws {
        let (response, context) = try Self.client.send(route.method, route.target)
        #expect(response.status == .ok)
        #expect(String(decoding: response.body, as: UTF8.self) == route.body)
        #expect(context.route == route.route)
    }

    /// Each template has one number, 0, 1, 2... in the order first added, whatever the method or spelling of
    /// the path; nothing matched has none.
    @Test func routeNumbersFollowTheTemplates() throws {
        let cases: [(String, String, Int?)] = [
            ("GET", "/healthz", 0), ("GET", "/users", 1), ("POST", "/users/", 1), ("GET", "/users/me", 2),
            ("GET", "/users/42", 3), ("DELETE", "/users/7", 3), ("GET", "/users/7/posts/9", 4), ("POST", "/token", 5),
            ("GET", "/nope", nil),
        ]
        for (method, target, number) in cases {
            #expect(try Self.client.send(method, target).1.routeNumber == number, "\(method) \(target)")
        }
    }

    /// Unknown paths are 404 `{"detail":"Not Found"}`; an empty parameter or extra segment matches nothing.
    @Test(arguments: ["/nope", "/users//", "/users/7/posts", "/users/7/posts/9/x", "/healthzz", "/Healthz"])
    func unknownPathIsNotFound(_ target: String) throws {
        let (response, context) = try Self.client.send("GET", target)
        #expect(response.status == .notFound)
        #expect(response.contentType == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"detail":"Not Found"}"#)
        #expect(context.route == nil)
    }

    struct NotAllowed: Sendable, CustomTestStringConvertible {
        let method: String
        let target: String
        let allow: String
        var testDescription: String { "\(method) \(target)" }
    }

    /// A known path with another method is 405 with `Allow` listing every method, HEAD included with GET.
    @Test(arguments: [
        NotAllowed(method: "POST", target: "/healthz", allow: "GET, HEAD"),
        NotAllowed(method: "DELETE", target: "/users/", allow: "GET, HEAD, POST"),
        NotAllowed(method: "PUT", target: "/users/3", allow: "GET, HEAD, PATCH, DELETE"),
        NotAllowed(method: "GET", target: "/token", allow: "POST"),
        NotAllowed(method: "HEAD", target: "/token", allow: "POST"),
    ])
    func wrongMethodIsMethodNotAllowedWithAllow(_ case: NotAllowed) throws {
        let (response, _) = try Self.client.send(`case`.method, `case`.target)
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers.first { $0.name.lowercased() == "allow" }?.value == `case`.allow)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"detail":"Method Not Allowed"}"#)
    }

    /// HEAD is answered by the GET handler (the writer drops the body, keeping its length).
    @Test(arguments: ["/healthz", "/users/5"])
    func headIsAnsweredByGet(_ target: String) throws {
        let (head, _) = try Self.client.send("HEAD", target)
        let (get, _) = try Self.client.send("GET", target)
        #expect(head.status == .ok)
        #expect(head.body == get.body)
    }

    /// An unknown method token is 405 with `Allow` where the path exists (as Starlette answers, and as schemathesis
    /// expects for undeclared methods) and 501 where it does not (RFC 9110 §9.1).
    @Test(arguments: [("QUERY", "/healthz", 405), ("get", "/users/5", 405), ("BREW", "/nope", 501), ("QUERY", "/", 501)])
    func unknownMethodIs405OnAKnownPathElse501(method: String, target: String, status: Int) throws {
        let (response, _) = try Self.client.send(method, target)
        #expect(response.status.code == status)
        if status == 405 { #expect(response.headers.first { $0.name == "allow" } != nil) }
    }

    /// `OPTIONS *` describes the server as a whole.
    @Test func asteriskOptionsListsEveryMethod() throws {
        let (response, _) = try Self.client.send("OPTIONS", "*")
        #expect(response.status == .noContent)
        #expect(response.headers.first { $0.name == "allow" }?.value == "GET, HEAD, POST, PATCH, DELETE")
    }

    struct Tagging: Middleware {
        let tag: String
        func handle(_ request: Request, _ context: inout RequestContext,
                    next: (Request, inout RequestContext) throws -> Response) throws -> Response {
            var response = try next(request, &context)
            response.headers.append(HeaderPair("x-order", tag))
            return response
        }
    }

    struct Refusing: Middleware {
        func handle(_ request: Request, _ context: inout RequestContext,
                    next: (Request, inout RequestContext) throws -> Response) throws -> Response {
            if request.header("x-deny") != nil { throw HTTPError(.forbidden, detail: "Not enough permissions") }
            return try next(request, &context)
        }
    }

    /// Middleware runs in the order added, around matched and unmatched requests; a thrown `HTTPError` is the response,
    /// any other error a bare 500 whose cause stays in the context.
    @Test func middlewareWrapsEveryRequestInOrder() throws {
        struct Boom: Error {}
        var router = Router()
        router.use(Tagging(tag: "outer"))
        router.use(Tagging(tag: "inner"))
        router.use(Refusing())
        router.add(.get, "/ok", use: Self.echo("ok"))
        router.add(.get, "/boom") { _, _ in throw Boom() }
        let client = RouterClient(router: router)

        let (ok, _) = try client.send("GET", "/ok")
        #expect(ok.headers.map(\.value) == ["inner", "outer"])
        let (missing, _) = try client.send("GET", "/missing")
        #expect(missing.status == .notFound)
        let (denied, _) = try client.send("GET", "/ok", headers: [("X-Deny", "1")])
        #expect(denied.status == .forbidden)
        #expect(String(decoding: denied.body, as: UTF8.self) == #"{"detail":"Not enough permissions"}"#)
        let (failed, context) = try client.send("GET", "/boom")
        #expect(failed.status == .internalServerError)
        #expect(String(decoding: failed.body, as: UTF8.self) == #"{"detail":"Internal Server Error"}"#)
        #expect(context.failure is Boom)
    }
}
