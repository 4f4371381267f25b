import App
import HTTP
import TestKit
import Testing

/// The application's router in process (no socket): the routes issue 2 ships and FastAPI's error shapes.
@Suite struct ApplicationRoutesTests {
    static let client = RouterClient(router: Application(config: LiveServer.testDefaults).makeRouter())

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
        let (response, _) = try Self.client.send("GET", "/users/1")
        #expect(response.status == .notFound)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"detail":"Not Found"}"#)
    }

    /// A plain GET of the WebSocket route is 426 with the version the server speaks (RFC 6455 §4.4).
    @Test func webSocketRouteWithoutUpgradeIs426() throws {
        let (response, _) = try Self.client.send("GET", "/ws")
        #expect(response.status == .upgradeRequired)
        #expect(response.headers.contains(HeaderPair("sec-websocket-version", "13")))
    }
}
