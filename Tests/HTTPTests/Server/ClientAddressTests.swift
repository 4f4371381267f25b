import HTTP
import TestKit
import Testing

/// Client addresses behind proxies (DESIGN §6): only trusted proxies' `X-Forwarded-For` counts.
@Suite struct ClientAddressTests {
    private func request(forwardedFor values: [String]) throws -> HTTP.Request {
        try RouterClient.request("GET", "/", headers: [("Host", "a")] + values.map { ("X-Forwarded-For", $0) })
    }

    @Test func anUntrustedPeerIsTheClientWhateverItClaims() throws {
        #expect(ClientAddress.resolve(try request(forwardedFor: ["6.6.6.6"]), peer: "1.2.3.4", trustedProxies: ["10.0.0.1"]) == "1.2.3.4")
    }

    @Test func behindATrustedProxyTheLastUntrustedHopIsTheClient() throws {
        let request = try request(forwardedFor: ["6.6.6.6, 7.7.7.7", "10.0.0.2"])
        // 6.6.6.6 could be anything the client wrote; 7.7.7.7 is what the first trusted proxy saw.
        #expect(ClientAddress.resolve(request, peer: "10.0.0.1", trustedProxies: ["10.0.0.1", "10.0.0.2"]) == "7.7.7.7")
    }

    @Test func aTrustedProxyWithoutTheHeaderIsItself() throws {
        #expect(ClientAddress.resolve(try request(forwardedFor: []), peer: "10.0.0.1", trustedProxies: ["10.0.0.1"]) == "10.0.0.1")
    }
}
