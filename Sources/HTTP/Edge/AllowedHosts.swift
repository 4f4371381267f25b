/// Refuses requests whose `Host` is not one of the names the server answers for (`server.allowed_hosts`), as
/// Starlette's TrustedHostMiddleware: a defence against DNS rebinding and poisoned absolute links. Entries are exact
/// names (`api.example.com`), `*.example.com` for any subdomain, or `*` for any; the port is not compared.
public struct AllowedHosts: Middleware {
    private let exact: Set<String>
    private let suffixes: [String]
    private static let refused = HTTPError(.badRequest, detail: "Invalid host header")

    /// A check against `hosts` (none may be `*`: then do not install it).
    public init(_ hosts: [String]) {
        exact = Set(hosts.filter { !$0.hasPrefix("*.") }.map { $0.lowercased() })
        suffixes = hosts.filter { $0.hasPrefix("*.") }.map { String($0.dropFirst()).lowercased() }
    }

    public func handle(
        _ request: Request, _ context: inout RequestContext, next: (Request, inout RequestContext) throws -> Response
    ) throws -> Response {
        guard let host = request.header("host").map(Self.name), exact.contains(host) || suffixes.contains(where: { host.hasSuffix($0) })
        else { throw Self.refused }
        return try next(request, &context)
    }

    /// The host name of a `Host` value in lower case, without its port (an IPv6 literal keeps its brackets).
    static func name(_ value: String) -> String {
        let lowered = value.lowercased()
        if lowered.hasPrefix("[") { return String(lowered[...(lowered.firstIndex(of: "]") ?? lowered.index(before: lowered.endIndex))]) }
        return String(lowered.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }
}
