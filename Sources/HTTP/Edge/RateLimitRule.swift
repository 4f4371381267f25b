/// One rate limit (`http.rate_limits.rules`), written `NAME: MATCH RATE BURST KEY`:
///
/// - `MATCH`: a route class (`auth`, `write`, `read`), or a route (`/users/{user_id}`, or `POST /users/` for one method);
/// - `RATE`: requests per second, minute or hour (`2/s`, `30/m`, `100/h`), the pace at which the allowance refills;
/// - `BURST`: how many requests may come at once before the pace applies;
/// - `KEY`: `address` (the client's, through `server.trusted_proxies`) or `subject` (the token's user, else the address).
///
/// GCRA (the generic cell rate algorithm) enforces it: a request is admitted while the client is no more than `BURST`
/// requests ahead of `RATE`.
public struct RateLimitRule: Sendable, Equatable {
    /// What a rule applies to.
    public enum Match: Sendable, Equatable {
        /// Every request of a class (the application says which class a request is in).
        case routeClass(RouteClass)
        /// One route, for one method or (nil) every method.
        case route(method: Method?, template: String)
    }

    /// The classes of requests a rule can name.
    public enum RouteClass: String, Sendable, CaseIterable {
        /// Logging in, refreshing and revoking tokens.
        case auth
        /// Requests that change something (POST, PUT, PATCH, DELETE).
        case write
        /// The rest.
        case read
    }

    /// What the rule keys its allowance on.
    public enum Key: String, Sendable {
        case address, subject
    }

    /// The rule's name, in `RateLimit-Policy` and the metrics.
    public let name: String
    public let match: Match
    /// Requests per second.
    public let rate: Double
    public let burst: Int
    public let key: Key

    /// Milliseconds between two requests at `rate` (the GCRA emission interval), at least 1.
    public var interval: Int64 { max(1, Int64((1000 / rate).rounded())) }

    /// Milliseconds a client may be ahead of `rate` (the GCRA tolerance): `burst` intervals.
    public var tolerance: Int64 { Int64(burst) * interval }

    /// The window of `RateLimit-Policy`: seconds for a spent allowance to refill whole.
    public var windowSeconds: Int { Int((Double(burst) / rate).rounded(.up)) }

    /// A rule made in code (the login throttle's): `rate` requests per second, `burst` at once.
    public init(name: String, match: Match, rate: Double, burst: Int, key: Key) {
        self.name = name
        self.match = match
        self.rate = rate
        self.burst = burst
        self.key = key
    }

    /// Parses `text` (see the type's comment); the error says what is wrong in words for a configuration message.
    public init(parsing text: String) throws(RuleError) {
        guard let colon = text.firstIndex(of: ":") else { throw RuleError("expected 'NAME: MATCH RATE BURST KEY', got '\(text)'") }
        name = String(text[..<colon].trimmingBlanks())
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw RuleError("the name '\(name)' must be letters, digits, '_' or '-'")
        }
        var words = text[text.index(after: colon)...].split(separator: " ").map(String.init)
        guard words.count == 4 || words.count == 5 else { throw RuleError("expected 'NAME: MATCH RATE BURST KEY', got '\(text)'") }
        guard let key = Key(rawValue: words.removeLast()) else { throw RuleError("the key must be 'address' or 'subject'") }
        guard let burst = Int(words.removeLast()), (1...1_000_000).contains(burst) else { throw RuleError("the burst must be an integer in 1...1000000") }
        let rate = try Self.rate(words.removeLast())
        self.key = key
        self.burst = burst
        self.rate = rate
        match = try Self.match(words)
    }

    /// `N/s`, `N/m` or `N/h`, as requests per second, at most 1000 per second.
    private static func rate(_ text: String) throws(RuleError) -> Double {
        let parts = text.split(separator: "/")
        let units: [Substring: Double] = ["s": 1, "m": 60, "h": 3600]
        guard parts.count == 2, let count = Double(parts[0]), count > 0, let seconds = units[parts[1]] else {
            throw RuleError("the rate must be N/s, N/m or N/h (2/s, 30/m), got '\(text)'")
        }
        guard count / seconds <= 1000 else { throw RuleError("the rate must be at most 1000/s, got '\(text)'") }
        return count / seconds
    }

    private static func match(_ words: [String]) throws(RuleError) -> Match {
        if words.count == 1, let routeClass = RouteClass(rawValue: words[0]) { return .routeClass(routeClass) }
        if words.count == 1, words[0].hasPrefix("/") { return .route(method: nil, template: words[0]) }
        if words.count == 2, words[1].hasPrefix("/"), let method = Method.allCases.first(where: { $0.name == words[0] && $0 != .unknown }) {
            return .route(method: method, template: words[1])
        }
        throw RuleError("the match must be auth, write, read, a route (/users/{user_id}) or a method and a route (POST /users/)")
    }

    /// Whether the rule applies to a request of `routeClass` to `route` (the matched template, nil for none).
    public func matches(_ method: Method, route: String?, routeClass: RouteClass) -> Bool {
        switch match {
        case .routeClass(let wanted): wanted == routeClass
        case .route(let wantedMethod, let template): template == route && (wantedMethod == nil || wantedMethod == method)
        }
    }

    /// Why a rule did not parse.
    public struct RuleError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}

extension RateLimitRule {
    /// The 429 for a request this rule refused (draft-ietf-httpapi-ratelimit-headers-10): `Retry-After`, and
    /// `RateLimit` naming the same moment, with the rule as the `RateLimit-Policy`.
    public func refusal(retryAfterMilliseconds wait: Int64) -> HTTPError {
        let seconds = String(max(1, (wait + 999) / 1000))
        return HTTPError(.tooManyRequests, detail: "Too Many Requests", headers: [
            HeaderPair("retry-after", seconds),
            HeaderPair("ratelimit-policy", "\"\(name)\";q=\(burst);w=\(windowSeconds)"),
            HeaderPair("ratelimit", "\"\(name)\";r=0;t=\(seconds)"),
        ])
    }
}
