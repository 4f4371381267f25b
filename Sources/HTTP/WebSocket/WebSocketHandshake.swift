import Crypto

/// The server side of the WebSocket opening handshake (RFC 6455 §4.2), with permessage-deflate (RFC 7692) when the
/// client offers it in a form the server can honour.
public enum WebSocketHandshake {
    private static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// Checks `request` (§4.2.1) and answers 101 with the new session, or throws the refusal:
    /// 426 with `Sec-WebSocket-Version: 13` for another version or a plain GET (§4.4); 400 for HTTP/1.0,
    /// a missing version or a bad key (§4.2.1 items 1, 5 and 6: a malformed handshake, not an unknown version).
    /// The session keeps to `settings`: it closes with 1009 a message past `maxMessageBytes`, pings a silent client.
    public static func accept(
        _ request: Request, settings: WebSocketSettings = WebSocketSettings(), handler: @escaping @Sendable () -> any WebSocketHandler
    ) throws(HTTPError) -> Response {
        let key = try checkedKey(of: request)
        var headers = [
            HeaderPair("upgrade", "websocket"),
            HeaderPair("connection", "Upgrade"),
            HeaderPair("sec-websocket-accept", acceptValue(for: key)),
        ]
        // §9.1: the client lists what it offers; the response names what the server accepted, or nothing.
        let compression = PerMessageDeflate.negotiate(WebSocketExtension.parse(request.headers("sec-websocket-extensions")))
        if let compression { headers.append(HeaderPair("sec-websocket-extensions", compression.responseValue)) }
        var response = Response(status: .switchingProtocols, headers: headers)
        response.upgrade = WebSocketUpgrade(makeHandler: handler, settings: settings, compression: compression)
        return response
    }

    /// `Sec-WebSocket-Accept`: base64(SHA-1(key + GUID)) (§4.2.2 item 5.4).
    public static func acceptValue(for key: String) -> String {
        Base64.encode(SHA1.hash(Array((key + guid).utf8)))
    }

    /// The `Sec-WebSocket-Key` of a valid opening handshake (§4.2.1), or the refusal.
    private static func checkedKey(of request: Request) throws(HTTPError) -> String {
        let upgrade = request.header("upgrade") ?? ""
        let isUpgrade = upgrade.split(separator: ",").contains { $0.trimmingWhitespace().lowercased() == "websocket" }
        let connectionUpgrade = request.headers("connection").joined(separator: ",").split(separator: ",")
            .contains { $0.trimmingWhitespace().lowercased() == "upgrade" }
        let versionHeader = [HeaderPair("sec-websocket-version", "13"), HeaderPair("upgrade", "websocket")]
        guard request.minorVersion == 1 else { throw HTTPError(.badRequest, detail: "WebSocket needs HTTP/1.1") }
        guard isUpgrade && connectionUpgrade else {
            throw HTTPError(.upgradeRequired, detail: "WebSocket upgrade required", headers: versionHeader)
        }
        guard let version = request.header("sec-websocket-version") else {
            throw HTTPError(.badRequest, detail: "Missing Sec-WebSocket-Version")
        }
        guard version.trimmingWhitespace() == "13" else {
            throw HTTPError(.upgradeRequired, detail: "Unsupported WebSocket version", headers: versionHeader)
        }
        guard let key = request.header("sec-websocket-key"), Base64.decode(key)?.count == 16 else {
            throw HTTPError(.badRequest, detail: "Invalid Sec-WebSocket-Key")
        }
        return key
    }
}

private struct WebSocketUpgrade: ConnectionUpgrade {
    let makeHandler: @Sendable () -> any WebSocketHandler
    let settings: WebSocketSettings
    let compression: PerMessageDeflate?

    func makeSession() -> any UpgradedSession {
        WebSocketSession(handler: makeHandler(), settings: settings, compression: compression)
    }

    var queueLimit: Int { settings.queueLimit }
    var idleMilliseconds: UInt64 { settings.pingMilliseconds }
    var probeMilliseconds: UInt64 { settings.pongTimeoutMilliseconds }
}
