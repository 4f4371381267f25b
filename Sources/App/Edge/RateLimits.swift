import HTTP
import Metrics
import Synchronization

/// The rate limits of `http.rate_limits` on every route but health, metrics, the docs and the WebSocket: the first
/// rule that matches a request counts it, keyed by the client's address or by the user its token names, and a
/// request over the limit is answered 429 (before authentication and validation, as a flood should cost little).
///
/// With `shared` (`http.rate_limits.shared`, DESIGN §14) the instances on one database count together: a request this
/// instance's own count admits is counted in the database too, which decides, and this instance adopts the database's
/// count for that key. A request the own count refuses is refused at once (the database's count, holding every
/// instance's requests, is at least as far ahead), so a flood on one instance stays off the database. When the
/// database cannot answer, the own count decides alone.
final class RateLimits: Middleware {
    private let rules: [RateLimitRule]
    private let limiter: RateLimiter
    private let shared: (any SharedRateLimits)?
    private let authenticator: Authenticator
    private let refused: Mutex<[Int]>
    private let sharedFailures = Atomic<Int>(0)

    /// Routes never limited: probes and scrapes come often from one address by design, and the docs are static. (A
    /// short list: comparing a few short strings costs less than hashing one.)
    private static let exempt = ["/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/redoc", "/docs/offline", "/ws/echo", "/ws"]
    /// The `auth` class: logging in and out.
    private static let authRoutes = ["/token", "/token/revoke"]

    /// Limits by `rules`, counted in `limiter` and, when `shared` is given, in it too.
    init(rules: [RateLimitRule], limiter: RateLimiter, shared: (any SharedRateLimits)?, authenticator: Authenticator) {
        self.rules = rules
        self.limiter = limiter
        self.shared = shared
        self.authenticator = authenticator
        refused = Mutex([Int](repeating: 0, count: rules.count))
    }

    func handle(
        _ request: Request, _ context: inout RequestContext, next: (Request, inout RequestContext) throws -> Response
    ) throws -> Response {
        guard let index = rule(for: request, context) else { return try next(request, &context) }
        let rule = rules[index]
        let subject = rule.key == .subject ? authenticator.subject(of: request, loop: context.loopIndex) : nil
        let key = subject ?? context.clientAddress, isSubject = subject != nil
        if case .refused(let wait) = limiter.admit(rule, key: key, isSubject: isSubject) { throw refusal(by: index, wait: wait) }
        guard let shared else { return try next(request, &context) }
        let bucket = "\(rule.name) \(isSubject ? "subject" : "address") \(key)", loop = context.loopIndex
        throw Deferral { [self] done in
            shared.admit(bucket, interval: rule.interval, tolerance: rule.tolerance, on: loop) { outcome in
                done(self.decision(outcome, by: index, key: key, isSubject: isSubject))
            }
        }
    }

    /// What the database's count says of a request this instance's count admitted; its count becomes this instance's.
    private func decision(_ outcome: Result<SharedAdmission, any Error>, by index: Int, key: String, isSubject: Bool) -> Result<Void, any Error> {
        let rule = rules[index]
        guard case .success(let admission) = outcome else {
            sharedFailures.add(1, ordering: .relaxed)
            return .success(())
        }
        limiter.adopt(rule, key: key, isSubject: isSubject, aheadMilliseconds: admission.aheadMilliseconds)
        if admission.admitted { return .success(()) }
        return .failure(refusal(by: index, wait: admission.aheadMilliseconds + rule.interval - rule.tolerance))
    }

    /// The 429 of rule `index`, counted.
    private func refusal(by index: Int, wait: Int64) -> HTTPError {
        refused.withLock { $0[index] += 1 }
        return rules[index].refusal(retryAfterMilliseconds: wait)
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
        guard shared != nil else { return }
        writer.family("api_rate_limit_shared_failures_total", .counter,
                      help: "Requests the database could not count for the shared rate limits, decided by this instance's count alone.")
        writer.sample("api_rate_limit_shared_failures_total", [], Double(sharedFailures.load(ordering: .relaxed)))
    }
}
