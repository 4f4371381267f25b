import Crypto

/// The server side of the WebSocket opening handshake (RFC 6455 §4.2).
public enum WebSocketHandshake {
    private static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// Checks `request` (§4.2.1) and answers 101 with the new session, or throws the refusal:
    /// 426 with `Sec-WebSocket-Version: 13` for another version or a plain GET (§4.4); 400 for HTTP/1.0,
    /// a missing version or a bad key (§4.2.1 items 1, 5 and 6: a malformed handshake, not an unknown version).
    public static func accept(_ request: Request, handler: @escaping @Sendable () -> any WebSocketHandler) throws(HTTPError) -> Response {
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
        var response = Response(status: .switchingProtocols, headers: [
            HeaderPair("upgrade", "websocket"),
            HeaderPair("connection", "Upgrade"),
            HeaderPair("sec-websocket-accept", acceptValue(for: key)),
        ])
        response.upgrade = WebSocketUpgrade(makeHandler: handler)
        return response
    }

    /// `Sec-WebSocket-Accept`: base64(SHA-1(key + GUID)) (§4.2.2 item 5.4).
    public static func acceptValue(for key: String) -> String {
        Base64.encode(SHA1.hash(Array((key + guid).utf8)))
    }
}

private struct WebSocketUpgrade: ConnectionUpgrade {
    let makeHandler: @Sendable () -> any WebSocketHandler

    func makeSession() -> any UpgradedSession {
        WebSocketSession(handler: makeHandler())
    }
}
