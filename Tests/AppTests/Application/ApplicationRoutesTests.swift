import App
import HTTP
import JSON
import AppTestKit
import TestKit
import Testing

/// The application's router in process (no socket): the routes issue 2 ships and FastAPI's error shapes.
@Suite struct ApplicationRoutesTests {
    static let client = RouterClient(router: try! Application(config: LiveServer.testDefaults).makeRouter())   // fails only if /tmp is unusable

    @Test(arguments: ["/healthz", "/healthz/"])
    func healthzAnswersOK(_ target: String) throws {
        let (response, context) = try Self.client.send("GET", target)
        #expect(response.status == .ok)
        #expect(response.contentType == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"status":"ok"}"#)
        #expect(context.route == "/healthz")
    }

    @Test func healthzRefusesOtherMethods() throws {
        let (response, _) = try Self.client.send("POST", "/healthz")
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers.first { $0.name == "allow" }?.value == "GET, HEAD")
    }

    @Test func unknownPathIsFastAPIShaped404() throws {
        let (response, _) = try Self.client.send("GET", "/nothing/here")
        #expect(response.status == .notFound)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"detail":"Not Found"}"#)
    }

    /// A plain GET of the WebSocket route is 426 with the version the server speaks (RFC 6455 §4.4).
    @Test func webSocketRouteWithoutUpgradeIs426() throws {
        let (response, _) = try Self.client.send("GET", "/ws/echo")
        #expect(response.status == .upgradeRequired)
        #expect(response.headers.contains(HeaderPair("sec-websocket-version", "13")))
    }

    /// The document and its pages (issue 4): generated from the declarations, pages pointing at the configured scripts.
    @Test func openAPIDocumentDescribesTheRoutes() throws {
        let (response, _) = try Self.client.send("GET", "/openapi.json")
        #expect(response.status == .ok)
        #expect(response.contentType == "application/json")
        let document = try JSONParser.parse(response.body)
        #expect(document["openapi"] == "3.1.0")
        #expect(document["paths"]?["/healthz"]?["get"]?["operationId"] == "healthz")
        #expect(document["paths"]?["/metrics"]?["get"]?["responses"]?["200"]?["content"]?["text/plain"] != nil)
        #expect(document["paths"]?["/ws/echo"] == nil && document["paths"]?["/ws"] == nil)
    }

    /// The parser's refusals are documented where a client can meet them: schemathesis once sent `POST /action/`
    /// a query of 9 KB, and its 414 was a status the document did not list (CI failed on it).
    @Test func theParsersRefusalsAreDocumented() throws {
        let (response, _) = try Self.client.send("GET", "/openapi.json")
        let paths = try JSONParser.parse(response.body)["paths"]
        #expect(paths?["/action/"]?["post"]?["responses"]?["414"] != nil)
        #expect(paths?["/users/{user_id}"]?["patch"]?["responses"]?["414"] != nil)
        #expect(paths?["/users/"]?["post"]?["responses"]?["413"] != nil)
        #expect(paths?["/healthz"]?["get"]?["responses"]?["414"] == nil)
        #expect(paths?["/healthz"]?["get"]?["responses"]?["413"] == nil)
    }

    @Test func docsPagesLoadTheConfiguredScripts() throws {
        var config = LiveServer.testDefaults
        config.docs.swaggerJavaScriptURL = "https://mirror.example/swagger.js?a=1&b=2"
        config.docs.redocJavaScriptURL = "https://mirror.example/redoc.js"
        let client = RouterClient(router: try Application(config: config).makeRouter())
        let (swagger, _) = try client.send("GET", "/docs")
        #expect(swagger.contentType == "text/html; charset=utf-8")
        #expect(String(decoding: swagger.body, as: UTF8.self).contains(#"src="https://mirror.example/swagger.js?a=1&amp;b=2""#))
        let (redoc, _) = try client.send("GET", "/redoc")
        #expect(String(decoding: redoc.body, as: UTF8.self).contains(#"src="https://mirror.example/redoc.js""#))
        let (offline, _) = try client.send("GET", "/docs/offline")
        #expect(offline.status == .ok)
        #expect(!String(decoding: offline.body, as: UTF8.self).contains("https://"), "the offline page loads nothing from the network")
    }

    @Test(arguments: ["/openapi.json", "/docs", "/redoc", "/docs/offline"])
    func docsCanBeTurnedOff(_ target: String) throws {
        var config = LiveServer.testDefaults
        config.docs.isEnabled = false
        let (response, _) = try RouterClient(router: try Application(config: config).makeRouter()).send("GET", target)
        #expect(response.status == .notFound)
    }
}
