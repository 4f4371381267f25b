/// Who may call from another origin (`http.cors`, with the names of FastAPI's CORSMiddleware): the Fetch standard's
/// CORS protocol (https://fetch.spec.whatwg.org/#http-cors-protocol).
public struct CORSPolicy: Sendable, Equatable {
    /// Exact origins (`https://app.example.com`), or `*` for any (only without credentials). Empty: no origin.
    public var allowOrigins: [String] = []
    /// Methods a preflight may ask for.
    public var allowMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
    /// Request headers a preflight may ask for (in any case), or `*` for any; the CORS-safelisted ones always pass.
    public var allowHeaders = ["authorization", "content-type"]
    /// Response headers the browser lets the page read, besides the safelisted ones.
    public var exposeHeaders = ["x-request-id", "retry-after", "location", "ratelimit", "ratelimit-policy"]
    /// Whether the browser may send cookies or HTTP authentication and let the page read the answer.
    public var allowCredentials = false
    /// How long a browser may keep a preflight's answer (`Access-Control-Max-Age`).
    public var maxAgeSeconds = 600

    /// No origin allowed; the other members at their defaults.
    public init() {}

    /// Whether any origin is allowed at all (else the middleware is not installed).
    public var isEnabled: Bool { !allowOrigins.isEmpty }
}
