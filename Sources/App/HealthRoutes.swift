public import HTTP

/// `GET /healthz`: liveness, answered from the loop with a body made once.
public struct HealthRoutes: Sendable {
    private static let okBody = Array(#"{"status":"ok"}"#.utf8)

    /// Health routes.
    public init() {}

    /// Adds the routes to `router`.
    public func register(on router: inout Router) {
        router.add(.get, "/healthz") { _, _ in .json(body: Self.okBody) }
    }
}
