import HTTP
import Metrics
import Synchronization

/// The rate limits of `http.rate_limits` on every route but health, metrics, the docs and the WebSocket: the first
/// rule that matches a request counts it, keyed by the client's address or by the user its token names, and a
/// request over the limit is answered 429 (before authentication and validation, as a flood should cost little).
final class RateLimits: Middleware {
    private let rules: [RateLimitRule]
    private let limiter: RateLimiter
    private let authenticator: Authenticator
    private let refused: Mutex<[Int]>

    /// Routes never limited: probes and scrapes come often from one address by design, and the docs are static. (A
    /// short list: comparing a few short strings costs less than hashing one.)
    private static let exempt = ["/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/redoc", "/docs/offline", "/ws/echo", "/ws"]
    /// The `auth` class: logging in and out.
    private static let authRoutes = ["/token", "/token/revoke"]

    init(rules: [RateLimitRule], limiter: RateLimiter, authenticator: Authenticator) {
        self.rules = rules
        self.limiter = limiter
        self.authenticator = authenticator
        refused = Mutex([Int](repeating: 0, count: rules.count))
    }

    func handle(
        _ request: Request, _ context: inout RequestContext, next: (Request, inout RequestContext) throws -> Response
    ) throws -> Response {
        guard let index = rule(for: request, context) else { return try next(request, &context) }
        let rule = rules[index]
        let subject = rule.key == .subject ? authenticator.subject(of: request, loop: context.loopIndex) : nil
        if case .refused(let wait) = limiter.admit(rule, key: subject ?? context.clientAddress, isSubject: subject != nil) {
            refused.withLock { $0[index] += 1 }
            throw rule.refusal(retryAfterMilliseconds: wait)
        }
        return try next(request, &context)
    }

    /// Whether requests to the route `template` can be limited (for documenting the 429).
    static func canLimit(_ template: String) -> Bool {
        !exempt.contains(template)
    }

    /// The index of the first rule for `request`, or nil when none applies.
    private func rule(for request: Request, _ context: RequestContext) -> Int? {
        if let route = context.route, Self.exempt.contains(route) { return nil }
        let routeClass: RateLimitRule.RouteClass
        if let route = context.route, Self.authRoutes.contains(route) {
            routeClass = .auth
        } else {
            switch request.method {
            case .post, .put, .patch, .delete: routeClass = .write
            default: routeClass = .read
            }
        }
        return rules.firstIndex { $0.matches(request.method, route: context.route, routeClass: routeClass) }
    }

    /// Writes `api_rate_limited_total{rule}`.
    func write(to writer: inout ExpositionWriter) {
        let counts = refused.withLock { $0 }
        writer.family("api_rate_limited_total", .counter, help: "Requests answered 429 by a rate limit, by rule.")
        for (rule, count) in zip(rules, counts) { writer.sample("api_rate_limited_total", [("rule", rule.name)], Double(count)) }
    }
}
