import HTTP

extension WebSocketOutbound {
    /// Closes the connection with the code of `reason` (docs/realtime.md): 4008 for an overflow, 4001 when the token
    /// ended, 1001 when the server goes away.
    func end(_ reason: StreamEnd) {
        switch reason {
        case .overflow: close(code: 4008)
        case .tokenEnded: close(code: 4001)
        case .goingAway: close(code: 1001)
        }
    }
}
