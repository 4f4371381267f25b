/// Answers CORS preflights before routing (so before authentication) and marks the answers to allowed origins, on
/// every response: immediate, deferred, streamed, or an error.
public struct CORSMiddleware: Middleware {
    private let policy: CORSPolicy
    private let anyOrigin: Bool
    private let origins: Set<String>
    private let methods: Set<String>
    private let anyHeader: Bool
    private let headers: Set<String>
    private let allowMethodsValue: String
    private let allowHeadersValue: String
    private let exposeHeadersValue: String
    /// Headers a preflight never needs to be allowed (the Fetch standard's CORS-safelisted request headers).
    private static let safelisted: Set<String> = ["accept", "accept-language", "content-language", "content-type"]
    private static let disallowed = HTTPError(.badRequest, detail: "Disallowed CORS request")

    /// Middleware for `policy`.
    public init(_ policy: CORSPolicy) {
        self.policy = policy
        anyOrigin = policy.allowOrigins.contains("*")
        origins = Set(policy.allowOrigins)
        methods = Set(policy.allowMethods.map { $0.uppercased() })
        anyHeader = policy.allowHeaders.contains("*")
        headers = Set(policy.allowHeaders.map { $0.lowercased() })
        allowMethodsValue = policy.allowMethods.map { $0.uppercased() }.joined(separator: ", ")
        allowHeadersValue = policy.allowHeaders.map { $0.lowercased() }.joined(separator: ", ")
        exposeHeadersValue = policy.exposeHeaders.joined(separator: ", ")
    }

    public func handle(
        _ request: Request, _ context: inout RequestContext, next: (Request, inout RequestContext) throws -> Response
    ) throws -> Response {
        guard request.method == .options, let origin = request.header("origin"),
              let method = request.header("access-control-request-method") else { return try next(request, &context) }
        return try preflight(origin: origin, method: method, headers: request.header("access-control-request-headers"))
    }

    /// The answer to a preflight: 204 with what may be sent, or 400 when the origin, method or a header is not allowed.
    private func preflight(origin: String, method: String, headers requested: String?) throws -> Response {
        let names = (requested ?? "").split(separator: ",").map { $0.trimmingBlanks().lowercased() }.filter { !$0.isEmpty }
        guard isAllowed(origin), methods.contains(method.uppercased()),
              anyHeader || names.allSatisfy({ headers.contains($0) || Self.safelisted.contains($0) }) else { throw Self.disallowed }
        var response = Response(status: .noContent, headers: [
            HeaderPair("access-control-allow-methods", allowMethodsValue),
            HeaderPair("access-control-allow-headers", anyHeader ? names.joined(separator: ", ") : allowHeadersValue),
            HeaderPair("access-control-max-age", String(policy.maxAgeSeconds)),
        ])
        mark(&response, origin: origin)
        return response
    }

    public func finish(_ response: inout Response, to request: Request, context: RequestContext) {
        guard let origin = request.header("origin"), isAllowed(origin) else {
            if !anyOrigin { response.headers.append(HeaderPair("vary", "Origin")) }  // the answer depends on the origin
            return
        }
        if response.headers.contains(where: { $0.name == "access-control-allow-origin" }) { return }   // a preflight
        if !exposeHeadersValue.isEmpty { response.headers.append(HeaderPair("access-control-expose-headers", exposeHeadersValue)) }
        mark(&response, origin: origin)
    }

    /// The headers every answer to an allowed origin carries.
    private func mark(_ response: inout Response, origin: String) {
        response.headers.append(HeaderPair("access-control-allow-origin", anyOrigin ? "*" : origin))
        if policy.allowCredentials { response.headers.append(HeaderPair("access-control-allow-credentials", "true")) }
        if !anyOrigin { response.headers.append(HeaderPair("vary", "Origin")) }
    }

    private func isAllowed(_ origin: String) -> Bool {
        anyOrigin || origins.contains(origin)
    }
}
