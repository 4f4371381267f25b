/// The client's address: the socket's peer, unless that peer is a trusted proxy (`server.trusted_proxies`);
/// then the last address in `X-Forwarded-For` that is not itself a trusted proxy (DESIGN §6). Addresses a
/// client put first in the header are never believed, because any client can write them.
public enum ClientAddress {
    /// The client of `request`, which came from the socket peer `peer`.
    public static func resolve(_ request: Request, peer: String, trustedProxies: [String]) -> String {
        guard trustedProxies.contains(peer) else { return peer }
        let forwarded = request.headers("x-forwarded-for").flatMap { $0.split(separator: ",") }
            .map { String($0.trimmingWhitespace()) }.filter { !$0.isEmpty }
        return forwarded.last { !trustedProxies.contains($0) } ?? peer
    }
}
