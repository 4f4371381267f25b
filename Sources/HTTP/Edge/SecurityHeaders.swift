/// The headers every answer carries (DESIGN §12): no MIME sniffing, no referrer, no caching of what a bearer token
/// fetched, and HSTS when the public URL is `https://` (RFC 6797). A route's own value of a header wins.
public struct SecurityHeaders: Middleware {
    private let strictTransport: Bool

    /// `strictTransportSecurity`: send `Strict-Transport-Security` (the server is reached over HTTPS).
    public init(strictTransportSecurity: Bool) {
        strictTransport = strictTransportSecurity
    }

    /// Two years, the value hstspreload.org asks for.
    private static let hsts = HeaderPair("strict-transport-security", "max-age=63072000; includeSubDomains")
    private static let always = [HeaderPair("x-content-type-options", "nosniff"), HeaderPair("referrer-policy", "no-referrer")]
    private static let alwaysWithHSTS = always + [hsts]

    public func handle(
        _ request: Request, _ context: inout RequestContext, next: (Request, inout RequestContext) throws -> Response
    ) throws -> Response {
        try next(request, &context)
    }

    public func finish(_ response: inout Response, to request: Request, context: RequestContext) {
        let fixed = strictTransport ? Self.alwaysWithHSTS : Self.always
        // Most answers have no header of their own: sharing the one array then costs no allocation.
        if response.headers.isEmpty { response.headers = fixed } else { response.headers += fixed }
        // RFC 9111 §5.2.2.5: what a token fetched must not be stored by a shared or browser cache.
        if request.header("authorization") != nil, !response.headers.contains(where: { $0.name == "cache-control" }) {
            response.headers.append(HeaderPair("cache-control", "no-store"))
        }
    }
}
