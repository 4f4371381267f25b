import HTTP
import TestKit
import Testing

/// permessage-deflate's negotiation (RFC 7692 §7.1): each offer header gets the response the server must give, or no
/// extension at all.
@Suite struct PerMessageDeflateTests {
    /// (the client's `Sec-WebSocket-Extensions` lines, the server's answer or nil for none).
    static let offers: [([String], String?)] = [
        (["permessage-deflate"], "permessage-deflate"),
        (["permessage-deflate; client_max_window_bits"], "permessage-deflate"),
        // Autobahn's default offer: the client says it will not keep its context, and can take a window limit.
        (["permessage-deflate; client_no_context_takeover; client_max_window_bits"], "permessage-deflate; client_no_context_takeover"),
        (["permessage-deflate; server_no_context_takeover"], "permessage-deflate; server_no_context_takeover"),
        (["permessage-deflate; server_max_window_bits=10"], "permessage-deflate; server_max_window_bits=10"),
        (["permessage-deflate; server_max_window_bits=\"9\""], "permessage-deflate; server_max_window_bits=9"),
        (["permessage-deflate;client_max_window_bits=8;server_max_window_bits=15"],
         "permessage-deflate; server_max_window_bits=15; client_max_window_bits=8"),
        (["Permessage-Deflate; Server_No_Context_Takeover"], "permessage-deflate; server_no_context_takeover"),
        // zlib cannot keep to a 256-byte window: that offer is declined, and a later one accepted.
        (["permessage-deflate; server_max_window_bits=8"], nil),
        (["permessage-deflate; server_max_window_bits=8, permessage-deflate; server_max_window_bits=9"],
         "permessage-deflate; server_max_window_bits=9"),
        (["permessage-deflate; server_max_window_bits=8", "permessage-deflate"], "permessage-deflate"),
        // Invalid offers are declined (§7.1): missing, out of range, leading zero or signed values; values on
        // parameters without one; repeated or unknown parameters.
        (["permessage-deflate; server_max_window_bits"], nil),
        (["permessage-deflate; server_max_window_bits=16"], nil),
        (["permessage-deflate; server_max_window_bits=010"], nil),
        (["permessage-deflate; client_max_window_bits=+9"], nil),
        (["permessage-deflate; client_max_window_bits=7"], nil),
        (["permessage-deflate; server_no_context_takeover=1"], nil),
        (["permessage-deflate; client_no_context_takeover; client_no_context_takeover"], nil),
        (["permessage-deflate; mux"], nil),
        // Other extensions are passed over; a comma inside a quoted value does not split the list (RFC 6455 §9.1).
        (["x-webkit-deflate-frame, permessage-deflate; client_max_window_bits"], "permessage-deflate"),
        (["foo; bar=\"a,b\", permessage-deflate"], "permessage-deflate"),
        (["permessage-deflate; server_max_window_bits=\"1,0\""], nil),
        (["foo; bar=\"unterminated, permessage-deflate"], nil),
        ([",, permessage-deflate ,"], "permessage-deflate"),
        ([""], nil),
        ([], nil),
    ]

    @Test(arguments: offers)
    func offerGetsTheResponseTheRFCRequires(lines: [String], expected: String?) {
        let negotiated = PerMessageDeflate.negotiate(WebSocketExtension.parse(lines))
        #expect(negotiated?.responseValue == expected, "\(lines)")
    }

    /// The handshake answers with the negotiated value, and names no extension when none was offered.
    @Test(arguments: offers)
    func handshakeCarriesTheNegotiatedExtension(lines: [String], expected: String?) throws {
        let response = try WebSocketHandshake.accept(try Self.handshake(extensions: lines)) { Silent() }
        #expect(response.status == .switchingProtocols)
        let values = response.headers.filter { $0.name == "sec-websocket-extensions" }.map(\.value)
        #expect(values == (expected.map { [$0] } ?? []), "\(lines)")
    }

    @Test func parametersAreParsedWithTheirValuesUnquoted() {
        let parsed = WebSocketExtension.parse(["a; b; c=1, d; e=\"x\\\"y\"", "f"])
        #expect(parsed == [
            WebSocketExtension("a", [.init("b"), .init("c", "1")]),
            WebSocketExtension("f"),
        ], "d is left out: an escaped quote leaves x\"y, which is not a token")
    }

    final class Silent: WebSocketHandler {
        func received(_ message: WebSocketMessage) -> [WebSocketMessage] { [] }
    }

    /// A valid opening handshake with `extensions` as its `Sec-WebSocket-Extensions` lines.
    static func handshake(extensions: [String]) throws -> Request {
        try RouterClient.request("GET", "/ws/echo", headers: [
            ("Host", "h"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
        ] + extensions.map { ("Sec-WebSocket-Extensions", $0) })
    }
}
